import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service.js';
import { PlatformDb, TenantDb } from './tenant-db.js';
import { TenantDirectory } from './tenant-directory.js';

@Global()
@Module({
  providers: [PrismaService, TenantDb, PlatformDb, TenantDirectory],
  exports: [PrismaService, TenantDb, PlatformDb, TenantDirectory],
})
export class DbModule {}
