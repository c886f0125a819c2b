import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '#anpi/config';
import { createLogger, PinoNestLogger } from '#anpi/observability';
import { WorkerModule } from './worker.module.js';

/**
 * The worker runs BullMQ processors and serves only /healthz and /readyz. On SIGTERM it stops
 * taking jobs and waits for the running ones to finish before exiting.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel, service: 'worker' });
  const app = await NestFactory.create(WorkerModule.register(config), { logger: new PinoNestLogger(logger), abortOnError: false });
  app.enableShutdownHooks();
  await app.listen(config.workerPort, config.host);
  logger.info({ port: config.workerPort, host: config.host }, 'worker running');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
