export { EmailEventsModule } from './email-events.module.js';
export { EmailEventIntake, type EmailEventsResult } from './email-event-intake.js';
export { parseSendgridEvents, type EmailEvent } from './sendgrid-events.js';
