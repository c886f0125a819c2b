import { bearer, DirectoryFactory, Factory, type DepartmentRow, type Session, type TenantWithAdmin } from './support/factories.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('departments', () => {
  let api: TestApi;
  let make: Factory;
  let owner: TenantWithAdmin;
  let dir: DirectoryFactory;
  let admin: { Authorization: string };

  beforeAll(async () => {
    api = await startTestApi();
    make = new Factory(api);
    owner = await make.tenantWithAdmin();
    dir = new DirectoryFactory(api, owner);
    admin = bearer(owner.admin.accessToken);
  });
  afterAll(() => api.close());

  async function tree() {
    const hq = await dir.department('本社');
    const sales = await dir.department('営業部', hq);
    const first = await dir.department('第一課', sales);
    const second = await dir.department('第二課', sales);
    const ga = await dir.department('総務部', hq);
    return { hq, sales, first, second, ga };
  }

  it('builds a tree with ancestry paths, lists parents before children, and narrows to a subtree', async () => {
    const { hq, sales, first, second } = await tree();
    expect(first.path).toEqual([hq.id, sales.id, first.id]);
    expect(first).toMatchObject({ parentId: sales.id, depth: 3 });

    const list = await api.http().get('/v1/departments').set(admin).expect(200);
    const ids = list.body.map((d: DepartmentRow) => d.id);
    expect(ids.indexOf(hq.id)).toBeLessThan(ids.indexOf(sales.id));
    expect(ids.indexOf(sales.id)).toBeLessThan(ids.indexOf(first.id));

    const sub = await api.http().get(`/v1/departments?under=${sales.id}`).set(admin).expect(200);
    expect(sub.body.map((d: DepartmentRow) => d.id).sort()).toEqual([sales.id, first.id, second.id].sort());
  });

  it('renames and recodes, refusing a taken code with 409', async () => {
    const a = await dir.department('経理部', undefined, 'ACC');
    await dir.department('人事部', undefined, 'HR');
    const renamed = await api.http().patch(`/v1/departments/${a.id}`).set(admin).send({ name: '経理財務部', code: 'ACC-FIN' }).expect(200);
    expect(renamed.body).toMatchObject({ name: '経理財務部', code: 'ACC-FIN' });
    const taken = await api.http().patch(`/v1/departments/${a.id}`).set(admin).send({ code: 'HR' }).expect(409);
    expect(taken.body.code).toBe('code_taken');
    await api.http().post('/v1/departments').set(admin).send({ code: 'HR', name: 'x' }).expect(409);
  });

  it('moves a subtree under another parent, carrying every descendant path along', async () => {
    const { hq, sales, first, ga } = await tree();
    const moved = await api.http().patch(`/v1/departments/${sales.id}`).set(admin).send({ parentId: ga.id }).expect(200);
    expect(moved.body.path).toEqual([hq.id, ga.id, sales.id]);
    const child = await api.http().get(`/v1/departments/${first.id}`).set(admin).expect(200);
    expect(child.body.path).toEqual([hq.id, ga.id, sales.id, first.id]);

    const top = await api.http().patch(`/v1/departments/${sales.id}`).set(admin).send({ parentId: null }).expect(200);
    expect(top.body).toMatchObject({ parentId: null, path: [sales.id], depth: 1 });
    const after = await api.http().get(`/v1/departments/${first.id}`).set(admin).expect(200);
    expect(after.body.path).toEqual([sales.id, first.id]);
  });

  it('refuses moves that would create a cycle with 409, changing nothing', async () => {
    const { hq, sales, first } = await tree();
    const self = await api.http().patch(`/v1/departments/${sales.id}`).set(admin).send({ parentId: sales.id }).expect(409);
    expect(self.body).toMatchObject({ code: 'cycle', message: 'A department cannot be its own parent' });
    const below = await api.http().patch(`/v1/departments/${hq.id}`).set(admin).send({ parentId: first.id }).expect(409);
    expect(below.body.code).toBe('cycle');
    expect(below.body.message).toMatch(/cycle/);
    const unchanged = await api.http().get(`/v1/departments/${first.id}`).set(admin).expect(200);
    expect(unchanged.body.path).toEqual([hq.id, sales.id, first.id]);
  });

  it('deletes only empty departments, or with an explicit move of the members', async () => {
    const { sales, first, second } = await tree();
    const parent = await api.http().delete(`/v1/departments/${sales.id}`).set(admin).expect(409);
    expect(parent.body.code).toBe('has_subdepartments');

    const member = await dir.employee({ departmentId: first.id });
    const secondary = await dir.employee({ departmentId: second.id, additionalDepartmentIds: [first.id] });
    const busy = await api.http().delete(`/v1/departments/${first.id}`).set(admin).expect(409);
    expect(busy.body).toMatchObject({ code: 'has_members' });
    expect(busy.body.message).toMatch(/2 members/);

    await api.http().delete(`/v1/departments/${first.id}?moveMembersTo=${sales.id}`).set(admin).expect(204);
    const moved = await api.http().get(`/v1/employees/${member.id}`).set(admin).expect(200);
    expect(moved.body.department.id).toBe(sales.id);
    const moved2 = await api.http().get(`/v1/employees/${secondary.id}`).set(admin).expect(200);
    expect(moved2.body.additionalDepartments.map((d: { id: string }) => d.id)).toEqual([sales.id]);
    await api.http().get(`/v1/departments/${first.id}`).set(admin).expect(404);

    const empty = await dir.department('空の課', sales);
    await api.http().delete(`/v1/departments/${empty.id}`).set(admin).expect(204);
    const audit = await api.http().get(`/v1/audit-log?resourceType=department&resourceId=${first.id}`).set(admin).expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'department.delete', details: { movedMembers: 2, movedTo: sales.id } });
  });

  it('validates input and references', async () => {
    const bad = await api.http().post('/v1/departments').set(admin).send({ code: 'has space', name: '', parentId: 'nope' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'name', 'parentId']);
    const unknown = await api
      .http()
      .post('/v1/departments')
      .set(admin)
      .send({ code: 'X1', name: 'x', parentId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'parentId', reason: 'parentId is not a department of this tenant' }]);
  });

  describe('department heads', () => {
    let head: Session;
    let sales: DepartmentRow;
    let first: DepartmentRow;
    let ga: DepartmentRow;

    beforeAll(async () => {
      ({ sales, first, ga } = await tree());
      head = await make.user(owner, 'department_head');
      const assigned = await api
        .http()
        .put(`/v1/users/${head.user.id}/departments`)
        .set(admin)
        .send({ departmentIds: [sales.id] })
        .expect(200);
      expect(assigned.body.departmentIds).toEqual([sales.id]);
    });

    it('see only their subtrees', async () => {
      const list = await api.http().get('/v1/departments').set(bearer(head.accessToken)).expect(200);
      expect(list.body.every((d: DepartmentRow) => d.path.includes(sales.id))).toBe(true);
      expect(list.body.map((d: DepartmentRow) => d.id)).toContain(first.id);
      await api.http().get(`/v1/departments/${first.id}`).set(bearer(head.accessToken)).expect(200);
      const outside = await api.http().get(`/v1/departments/${ga.id}`).set(bearer(head.accessToken)).expect(403);
      expect(outside.body.code).toBe('outside_your_departments');
      await api.http().get(`/v1/departments?under=${ga.id}`).set(bearer(head.accessToken)).expect(403);
    });

    it('cannot change the tree', async () => {
      const h = bearer(head.accessToken);
      await api.http().post('/v1/departments').set(h).send({ code: 'NEW', name: 'x' }).expect(403);
      await api.http().patch(`/v1/departments/${first.id}`).set(h).send({ name: 'x' }).expect(403);
      await api.http().delete(`/v1/departments/${first.id}`).set(h).expect(403);
    });
  });

  it("never shows or touches another tenant's departments", async () => {
    const other = await make.tenantWithAdmin();
    const theirs = await new DirectoryFactory(api, other).department('他社の部署', undefined, 'THEIRS');
    await api.http().get(`/v1/departments/${theirs.id}`).set(admin).expect(404);
    await api.http().patch(`/v1/departments/${theirs.id}`).set(admin).send({ name: 'x' }).expect(404);
    await api.http().delete(`/v1/departments/${theirs.id}`).set(admin).expect(404);
    await api.http().post('/v1/departments').set(admin).send({ code: 'MINE', name: 'x', parentId: theirs.id }).expect(400);
    const list = await api.http().get('/v1/departments').set(admin).expect(200);
    expect(list.body.map((d: DepartmentRow) => d.id)).not.toContain(theirs.id);
    // The same code is free in each tenant.
    await api.http().post('/v1/departments').set(admin).send({ code: 'THEIRS', name: 'x' }).expect(201);
  });
});
