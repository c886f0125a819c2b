export { TenancyModule } from './tenancy.module.js';
export { TenantsService } from './tenants.service.js';
export { CreateTenantDto, SuspendTenantDto, ListTenantsQuery, TenantView } from './dto/tenant.dto.js';
export { TenantSettingsService } from './tenant-settings.service.js';
export { TenantSettingsView, UpdateTenantSettingsDto } from './dto/settings.dto.js';
