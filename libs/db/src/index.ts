export { DbModule } from './db.module.js';
export { PrismaService } from './prisma.service.js';
export { TenantDb, PlatformDb, ONE_SNAPSHOT, sqlOf, type Tx, type Sql, type UnitOfWorkOptions } from './tenant-db.js';
export { TenantDirectory, type TenantAccess } from './tenant-directory.js';
export { asTenantId, isUuid, type TenantId } from './tenant-id.js';
export { isUniqueViolation, isNotFound, isDatabaseUnavailable } from './prisma-errors.js';
export { fromJsonRow } from './json-row.js';
export { GroupCommitQueue, type BatchItem, type BatchLimits, type WriteGroup } from './group-commit-queue.js';
export { retryWhileDatabaseUnavailable, type OutagePatience } from './database-outage.js';
export {
  Prisma,
  ActorType,
  Role,
  TenantStatus,
  Channel,
  BroadcastStatus,
  DeliveryState,
  LineStatus,
  AnswerSource,
  InvoiceStatus,
  InvoiceLineKind,
} from './generated/prisma/client.js';
export type {
  Tenant,
  User,
  ApiKey,
  AuditEntry,
  RefreshToken,
  Department,
  Employee,
  EmailBounce,
  ChannelSettings,
  Template,
  Broadcast,
  Recipient,
  Delivery,
  UsageEntry,
  Answer,
  Plan,
  TenantPlan,
  Invoice,
  InvoiceLine,
  InvoiceUsage,
  LineReconciliation,
  JmaTelegram,
  AutoLaunchRule,
  AutoLaunch,
} from './generated/prisma/client.js';
