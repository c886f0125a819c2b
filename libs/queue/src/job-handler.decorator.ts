import { SetMetadata } from '@nestjs/common';
import type { JobName } from './jobs.js';

export const JOB_HANDLER = 'anpi:job-handler';

/**
 * Marks the method that runs a job. It receives the job's data; whatever it throws fails the
 * attempt and BullMQ retries it, so handlers must not swallow errors.
 */
export const JobHandler = (name: JobName) => SetMetadata(JOB_HANDLER, name);
