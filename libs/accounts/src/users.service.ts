import { Injectable } from '@nestjs/common';
import { AuditLog, type Actor } from '#anpi/audit';
import { TenantDb, TenantDirectory, isUniqueViolation, isUuid, type Prisma, type TenantId, type Tx } from '#anpi/db';
import type { CreateFirstAdminDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto.js';
import { UserView } from './dto/user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokenStore } from './refresh-token-store.js';
import { ConflictError, InvalidInputError, NotFoundError } from '#anpi/errors';

const WITH_DEPARTMENTS = { departments: { select: { departmentId: true } } } as const;

/** Tenant users (HR admins, directory maintainers, department heads), managed by the tenant's admins. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenants: TenantDirectory,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenStore,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: TenantId, query: ListUsersQuery): Promise<UserView[]> {
    const users = await this.db.run(tenantId, (tx) =>
      tx.user.findMany({
        where: { tenantId, role: query.role, ...(query.includeDisabled ? {} : { disabledAt: null }) },
        orderBy: [{ createdAt: 'asc' }],
        include: WITH_DEPARTMENTS,
      }),
    );
    return users.map(UserView.from);
  }

  async get(tenantId: TenantId, id: string): Promise<UserView> {
    const user = isUuid(id) ? await this.db.run(tenantId, (tx) => tx.user.findFirst({ where: { id, tenantId }, include: WITH_DEPARTMENTS })) : null;
    if (!user) throw NotFoundError.of('User', id);
    return UserView.from(user);
  }

  async create(tenantId: TenantId, actor: Actor, dto: CreateUserDto): Promise<UserView> {
    const passwordHash = await this.hasher.hash(dto.password);
    return this.db.run(tenantId, async (tx) => {
      const user = await this.insert(tx, { tenantId, email: dto.email, name: dto.name, role: dto.role, passwordHash });
      await this.audit.record(tx, tenantId, actor, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        details: { role: user.role },
      });
      return UserView.from(user);
    });
  }

  /**
   * The platform operator opens a tenant by creating its first admin. Only the first: once a
   * tenant has an admin, its people are its own business.
   */
  async createFirstAdmin(tenantId: TenantId, actor: Actor, dto: CreateFirstAdminDto): Promise<UserView> {
    if (!(await this.tenants.byId(tenantId))) throw NotFoundError.of('Tenant', tenantId);
    const passwordHash = await this.hasher.hash(dto.password);
    return this.db.run(tenantId, async (tx) => {
      // Serialises concurrent attempts: without it, two could each see zero admins.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`first-admin:${tenantId}`}))`;
      const admins = await tx.user.count({ where: { tenantId, role: 'admin' } });
      if (admins > 0) {
        throw new ConflictError('tenant_has_admin', 'This tenant already has an admin; further users are created by its admins');
      }
      const user = await this.insert(tx, { tenantId, email: dto.email, name: dto.name, role: 'admin', passwordHash });
      await this.audit.record(tx, tenantId, actor, {
        action: 'user.create',
        resourceType: 'user',
        resourceId: user.id,
        details: { role: 'admin', firstAdmin: true },
      });
      return UserView.from(user);
    });
  }

  async update(tenantId: TenantId, actor: Actor, id: string, dto: UpdateUserDto): Promise<UserView> {
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : undefined;
    return this.db.run(tenantId, async (tx) => {
      const user = isUuid(id) ? await tx.user.findFirst({ where: { id, tenantId } }) : null;
      if (!user) throw NotFoundError.of('User', id);
      const disabling = dto.disabled === true && !user.disabledAt;
      const demoting = dto.role !== undefined && dto.role !== 'admin' && user.role === 'admin';
      if (disabling && actor.id === id) throw new ConflictError('self', 'You cannot disable your own account');
      if ((disabling || demoting) && user.role === 'admin' && !user.disabledAt) await this.assertNotLastAdmin(tx, tenantId, id);

      const updated = await tx.user.update({
        where: { id },
        include: WITH_DEPARTMENTS,
        data: {
          name: dto.name,
          role: dto.role,
          passwordHash,
          disabledAt: dto.disabled === undefined ? undefined : dto.disabled ? (user.disabledAt ?? new Date()) : null,
        },
      });
      const endsSessions = disabling || passwordHash !== undefined;
      const endedSessions = endsSessions ? await this.refreshTokens.revokeAllOfUser(tx, tenantId, id, disabling ? 'disabled' : 'password_reset') : 0;
      await this.audit.record(tx, tenantId, actor, {
        action: disabling ? 'user.disable' : 'user.update',
        resourceType: 'user',
        resourceId: id,
        details: {
          fields: Object.keys(dto).filter((k) => dto[k as keyof UpdateUserDto] !== undefined),
          ...(dto.role && dto.role !== user.role && { role: { from: user.role, to: dto.role } }),
          ...(endsSessions && { endedSessions }),
        },
      });
      return UserView.from(updated);
    });
  }

  async remove(tenantId: TenantId, actor: Actor, id: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      const user = isUuid(id) ? await tx.user.findFirst({ where: { id, tenantId } }) : null;
      if (!user) throw NotFoundError.of('User', id);
      if (actor.id === id) throw new ConflictError('self', 'You cannot delete your own account');
      if (user.role === 'admin' && !user.disabledAt) await this.assertNotLastAdmin(tx, tenantId, id);
      await tx.user.delete({ where: { id } });
      await this.audit.record(tx, tenantId, actor, {
        action: 'user.delete',
        resourceType: 'user',
        resourceId: id,
        details: { role: user.role },
      });
    });
  }

  /** Which departments (with their subtrees) a department head sees; replaces the previous set. */
  async setDepartments(tenantId: TenantId, actor: Actor, id: string, departmentIds: string[]): Promise<UserView> {
    return this.db.run(tenantId, async (tx) => {
      const user = await tx.user.findFirst({ where: { id, tenantId } });
      if (!user) throw NotFoundError.of('User', id);
      const found = await tx.department.count({ where: { tenantId, id: { in: departmentIds } } });
      if (found !== departmentIds.length) {
        const reason = 'departmentIds must all be departments of this tenant';
        throw InvalidInputError.field('departmentIds', reason);
      }
      await tx.userDepartment.deleteMany({ where: { tenantId, userId: id } });
      await tx.userDepartment.createMany({ data: departmentIds.map((departmentId) => ({ tenantId, userId: id, departmentId })) });
      await this.audit.record(tx, tenantId, actor, { action: 'user.departments', resourceType: 'user', resourceId: id, details: { departmentIds } });
      return UserView.from(await tx.user.findFirstOrThrow({ where: { id, tenantId }, include: WITH_DEPARTMENTS }));
    });
  }

  private async insert(tx: Tx, data: Prisma.UserUncheckedCreateInput) {
    try {
      return await tx.user.create({ data });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('email_taken', 'A user with this email already exists in this tenant');
      throw error;
    }
  }

  /** Locks the active admins so two concurrent demotions cannot both pass this check. */
  private async assertNotLastAdmin(tx: Tx, tenantId: TenantId, leavingId: string): Promise<void> {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE tenant_id = ${tenantId}::uuid AND role = 'admin' AND disabled_at IS NULL FOR UPDATE`;
    if (!admins.some((a) => a.id !== leavingId)) {
      throw new ConflictError('last_admin', 'This is the last active admin of the tenant; appoint another admin first');
    }
  }
}
