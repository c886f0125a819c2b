import { randomBytes } from 'node:crypto';
import type { TokenPairView, UserView } from '#anpi/accounts';
import type { Role } from '#anpi/db';
import type { TenantView } from '#anpi/tenancy';
import { PLATFORM_KEY } from './test-config.js';
import type { TestApi } from './test-api.js';

export const PASSWORD = 'ensure-anpi-test-password';

export interface Session {
  user: UserView;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export interface TenantWithAdmin {
  tenant: TenantView;
  admin: Session;
}

const unique = () => randomBytes(4).toString('hex');

/** Builds tenants, users and sessions through the public API, as a customer would. */
export class Factory {
  constructor(private readonly api: TestApi) {}

  platform() {
    return { Authorization: `Bearer ${PLATFORM_KEY}` };
  }

  async tenant(fields: Partial<{ slug: string; name: string }> = {}): Promise<TenantView> {
    const res = await this.api
      .http()
      .post('/v1/tenants')
      .set(this.platform())
      .send({ slug: fields.slug ?? `co-${unique()}`, name: fields.name ?? '株式会社テスト' })
      .expect(201);
    return res.body as TenantView;
  }

  async tenantWithAdmin(): Promise<TenantWithAdmin> {
    const tenant = await this.tenant();
    const email = `admin-${unique()}@example.co.jp`;
    await this.api.http().post(`/v1/tenants/${tenant.id}/admins`).set(this.platform()).send({ email, name: '人事 太郎', password: PASSWORD }).expect(201);
    return { tenant, admin: await this.login(tenant.slug, email, PASSWORD) };
  }

  async user(owner: TenantWithAdmin, role: Role): Promise<Session> {
    const email = `${role}-${unique()}@example.co.jp`;
    await this.api
      .http()
      .post('/v1/users')
      .set(bearer(owner.admin.accessToken))
      .send({ email, name: `${role} 花子`, role, password: PASSWORD })
      .expect(201);
    return this.login(owner.tenant.slug, email, PASSWORD);
  }

  async apiKey(owner: TenantWithAdmin, roles: Role[]): Promise<{ id: string; key: string }> {
    const res = await this.api
      .http()
      .post('/v1/api-keys')
      .set(bearer(owner.admin.accessToken))
      .send({ name: `key ${unique()}`, roles })
      .expect(201);
    return { id: res.body.id as string, key: res.body.key as string };
  }

  async login(tenant: string, email: string, password: string): Promise<Session> {
    const res = await this.api.http().post('/v1/auth/login').send({ tenant, email, password }).expect(200);
    const body = res.body as TokenPairView;
    const user = body.user as unknown as UserView;
    return { user, email, password, accessToken: body.accessToken, refreshToken: body.refreshToken };
  }
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

export interface DepartmentRow {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
  path: string[];
}

let sequence = 0;

/** Directory entities, created through the API as a maintainer would. */
export class DirectoryFactory {
  constructor(
    private readonly api: TestApi,
    private readonly owner: TenantWithAdmin,
  ) {}

  async department(name: string, parent?: DepartmentRow, code = `D${++sequence}`): Promise<DepartmentRow> {
    const res = await this.api.http().post('/v1/departments').set(bearer(this.owner.admin.accessToken)).send({ code, name, parentId: parent?.id }).expect(201);
    return res.body as DepartmentRow;
  }

  async employee(fields: Record<string, unknown> = {}): Promise<{ id: string; code: string } & Record<string, unknown>> {
    const res = await this.api
      .http()
      .post('/v1/employees')
      .set(bearer(this.owner.admin.accessToken))
      .send({ code: `E${++sequence}`, name: '社員 一郎', ...fields })
      .expect(201);
    return res.body;
  }
}

/** What the LINE integration writes when an employee links their account (done as the owner here). */
export async function linkLine(
  api: TestApi,
  employeeId: string,
  userId: string,
  status: 'linked' | 'unreachable' = 'linked',
  channelKey = 'platform',
): Promise<void> {
  await api.owner(
    `UPDATE employees SET line_user_id = $2, line_display_name = 'LINE user', line_status = $3, line_linked_at = now(), line_channel_key = $4 WHERE id = $1`,
    [employeeId, userId, status, channelKey],
  );
}

/** A LINE user id in LINE's own format (U + 32 hex digits). */
export function lineUserId(n: number): string {
  return `U${n.toString(16).padStart(32, '0')}`;
}
