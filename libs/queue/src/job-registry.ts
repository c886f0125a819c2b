import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnrecoverableError, type Job } from 'bullmq';
import { RequestContext } from '#anpi/observability';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { ALL_JOBS, type JobName } from './jobs.js';

type Handler = (data: unknown, job: Job) => Promise<unknown>;

export class MissingJobHandlerError extends Error {}

/** Finds every @JobHandler at start-up and refuses to boot when a job has none, or two. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly logger = new Logger(JobRegistry.name);
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, fn as () => unknown);
        if (!name) continue;
        found.set(name, [...(found.get(name) ?? []), `${prototype.constructor.name}.${method}`]);
        this.handlers.set(name, (data, job) => (fn as Handler).call(instance, data, job));
      }
    }
    const problems = [
      ...ALL_JOBS.filter((name) => !found.has(name)).map((name) => `job "${name}" has no handler`),
      ...[...found].filter(([, where]) => where.length > 1).map(([name, where]) => `job "${name}" has ${where.length} handlers: ${where.join(', ')}`),
      ...[...found.keys()].filter((name) => !ALL_JOBS.includes(name as JobName)).map((name) => `handler for unknown job "${name}"`),
    ];
    if (problems.length > 0) throw new MissingJobHandlerError(`Job registry is incomplete: ${problems.join('; ')}`);
    this.logger.log({ msg: 'job handlers registered', jobs: [...found.keys()] });
  }

  async dispatch(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name);
    // A job nobody can run will not run on retry either.
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    return RequestContext.run({ jobId: job.id }, () => handler(job.data, job));
  }
}
