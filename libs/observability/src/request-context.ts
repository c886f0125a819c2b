import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a request (or running a job) carries. */
export interface LogContext {
  requestId?: string;
  jobId?: string;
  tenantId?: string;
  actorId?: string;
  broadcastId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

export const RequestContext = {
  run<T>(context: LogContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): LogContext | undefined {
    return storage.getStore();
  },
  /** Adds fields (the tenant, once authenticated) to the context of the running request. */
  assign(fields: Partial<LogContext>): void {
    const store = storage.getStore();
    if (store) Object.assign(store, fields);
  },
};
