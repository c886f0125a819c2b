export { AuditModule } from './audit.module.js';
export { AuditLog, type AuditRecord } from './audit-log.js';
export { type Actor, SYSTEM_ACTOR } from './actor.js';
export { AuditLogQuery, AuditEntryView, AuditPage } from './dto/audit-log.dto.js';
