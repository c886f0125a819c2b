import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Role, type Schemas } from '../../api/client';
import { formatJst, useI18n, type MessageKey } from '../../i18n';
import { DepartmentPicker } from '../DepartmentPicker';
import { ErrorBox, Field, Loading } from '../ErrorBox';

const ROLES: Role[] = ['admin', 'maintainer', 'department_head'];
const ROLE_KEY: Record<Role, MessageKey> = { admin: 'roleAdmin', maintainer: 'roleMaintainer', department_head: 'roleHead' };

export function UsersSection() {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(() => api.GET('/v1/users')) });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Schemas['UpdateUserDto'] }) => call(() => api.PATCH('/v1/users/{id}', { params: { path: { id } }, body })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  const [scoping, setScoping] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="users">
      <h2 id="users">{t('users')}</h2>
      {users.isPending && <Loading />}
      <ErrorBox error={users.error ?? update.error} />
      <div className="table-scroll" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('email')}</th>
              <th scope="col">{t('role')}</th>
              <th scope="col">{t('lastLogin')}</th>
              <th scope="col">{t('enabled')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <select
                    aria-label={`${t('role')}: ${u.name}`}
                    value={u.role}
                    onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(ROLE_KEY[r])}
                      </option>
                    ))}
                  </select>
                  {u.role === 'department_head' && (
                    <button type="button" className="link" onClick={() => setScoping(scoping === u.id ? null : u.id)}>
                      {t('scopes')} ({u.departmentIds.length})
                    </button>
                  )}
                  {scoping === u.id && <ScopeEditor user={u} onDone={() => setScoping(null)} />}
                </td>
                <td>{formatJst(u.lastLoginAt, lang)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('enabled')}: ${u.name}`}
                    checked={!u.disabled}
                    onChange={(e) => update.mutate({ id: u.id, body: { disabled: !e.target.checked } })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewUser />
    </section>
  );
}

/** Which departments a department head sees (each with everything under it). */
function ScopeEditor({ user, onDone }: { user: Schemas['UserView']; onDone(): void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [ids, setIds] = useState(user.departmentIds);
  const save = useMutation({
    mutationFn: () => call(() => api.PUT('/v1/users/{id}/departments', { params: { path: { id: user.id } }, body: { departmentIds: ids } })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['users'] });
      onDone();
    },
  });
  return (
    <div className="stack scope-editor">
      <DepartmentPicker selected={ids} onChange={setIds} />
      <ErrorBox error={save.error} />
      <button type="button" className="primary" onClick={() => save.mutate()} disabled={save.isPending}>
        {t('save')}
      </button>
    </div>
  );
}

function NewUser() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const create = useMutation({
    mutationFn: (body: Schemas['CreateUserDto']) => call(() => api.POST('/v1/users', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['users'] }),
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate(
      { name: String(form.get('name')), email: String(form.get('email')), role: form.get('role') as Role, password: String(form.get('password')) },
      { onSuccess: () => (e.target as HTMLFormElement).reset() },
    );
  }
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="new-user">
      <h3 id="new-user">{t('addUser')}</h3>
      <div className="grid2">
        <Field id="new-user-name" label={t('name')}>
          <input id="new-user-name" name="name" required maxLength={100} />
        </Field>
        <Field id="new-user-email" label={t('email')}>
          <input id="new-user-email" name="email" type="email" required />
        </Field>
        <Field id="new-user-role" label={t('role')}>
          <select id="new-user-role" name="role" defaultValue="maintainer">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(ROLE_KEY[r])}
              </option>
            ))}
          </select>
        </Field>
        <Field id="new-user-password" label={t('initialPassword')}>
          <input id="new-user-password" name="password" type="password" autoComplete="new-password" required minLength={12} />
        </Field>
      </div>
      <ErrorBox error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {t('addUser')}
      </button>
    </form>
  );
}
