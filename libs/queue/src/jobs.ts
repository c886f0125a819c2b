/**
 * Every queue and every job anpi runs. The worker refuses to start unless each job here has
 * exactly one handler (see JobRegistry), so a job can never sit in Redis with nobody to run it.
 * Each channel has its own delivery queue, so a slow SMTP server never holds up LINE.
 */
export const QueueName = {
  Maintenance: 'maintenance',
  Broadcasts: 'broadcasts',
  LineDeliveries: 'deliveries-line',
  EmailDeliveries: 'deliveries-email',
  SmsDeliveries: 'deliveries-sms',
  LineWorksDeliveries: 'deliveries-lineworks',
  Tallies: 'tallies',
  /** What LINE sends to our webhooks, and the messages that linking and the inbox send back. */
  Line: 'line',
  /** What LINE WORKS sends to bots' callback URLs. */
  LineWorks: 'lineworks',
  /** Closing months, usage thresholds and LINE reconciliation: never in the way of an alert. */
  Billing: 'billing',
  /** JMA telegrams: polling the feeds, and deciding what each telegram launches in each tenant. */
  Jma: 'jma',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  PurgeExpiredRefreshTokens: 'accounts.purge-expired-refresh-tokens',
  LaunchBroadcast: 'broadcast.launch',
  SendLine: 'delivery.line',
  SendEmail: 'delivery.email',
  SendSms: 'delivery.sms',
  SendLineWorks: 'delivery.lineworks',
  HandleLineWorksEvent: 'lineworks.event',
  RemindBroadcast: 'broadcast.remind',
  RefreshTally: 'tally.refresh',
  HandleLineEvent: 'line.event',
  /** The events of webhook requests recorded together; one that fails goes on alone as line.event. */
  HandleLineEvents: 'line.events',
  SendLineInvite: 'line.invite',
  SendLinkCode: 'line.link-code',
  NotifyInbox: 'line.inbox-notify',
  CloseBillingMonth: 'billing.close-month',
  CheckUsageThresholds: 'billing.check-usage',
  ReconcileLineUsage: 'billing.reconcile-line',
  PollJmaFeeds: 'jma.poll',
  EvaluateTelegram: 'jma.evaluate',
  /** An automatic launch's location check, its minutes after the launch. */
  CheckLocations: 'auto-launch.location-check',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export const JOB_QUEUE: Readonly<Record<JobName, QueueName>> = {
  [JobName.PurgeExpiredRefreshTokens]: QueueName.Maintenance,
  [JobName.LaunchBroadcast]: QueueName.Broadcasts,
  [JobName.SendLine]: QueueName.LineDeliveries,
  [JobName.SendEmail]: QueueName.EmailDeliveries,
  [JobName.SendSms]: QueueName.SmsDeliveries,
  [JobName.SendLineWorks]: QueueName.LineWorksDeliveries,
  [JobName.HandleLineWorksEvent]: QueueName.LineWorks,
  [JobName.RemindBroadcast]: QueueName.Broadcasts,
  [JobName.RefreshTally]: QueueName.Tallies,
  [JobName.HandleLineEvent]: QueueName.Line,
  [JobName.HandleLineEvents]: QueueName.Line,
  [JobName.SendLineInvite]: QueueName.Line,
  [JobName.SendLinkCode]: QueueName.Line,
  [JobName.NotifyInbox]: QueueName.Line,
  [JobName.CloseBillingMonth]: QueueName.Billing,
  [JobName.CheckUsageThresholds]: QueueName.Billing,
  [JobName.ReconcileLineUsage]: QueueName.Billing,
  [JobName.PollJmaFeeds]: QueueName.Jma,
  [JobName.EvaluateTelegram]: QueueName.Jma,
  [JobName.CheckLocations]: QueueName.Broadcasts,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS: readonly JobName[] = Object.values(JobName);
