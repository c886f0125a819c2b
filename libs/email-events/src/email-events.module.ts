import { Module } from '@nestjs/common';
import { DeliveryReportsModule } from '#anpi/alerts';
import { EmailEventIntake } from './email-event-intake.js';
import { EmailEventKeys } from './email-event-keys.js';

/** Email providers' delivery reports (SendGrid's Event Webhook) on the api side. */
@Module({
  imports: [DeliveryReportsModule],
  providers: [EmailEventKeys, EmailEventIntake],
  exports: [EmailEventIntake],
})
export class EmailEventsModule {}
