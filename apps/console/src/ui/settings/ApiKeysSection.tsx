import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { formatJst, useI18n } from '../../i18n';
import { ErrorBox, Field } from '../ErrorBox';

type KeyRole = Schemas['CreateApiKeyDto']['roles'][number];

/** API keys for the tenant's own systems: the key is shown once, at creation. */
export function ApiKeysSection() {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => call(() => api.GET('/v1/api-keys')) });
  const [created, setCreated] = useState<Schemas['CreatedApiKeyView'] | null>(null);
  const create = useMutation({
    mutationFn: (body: Schemas['CreateApiKeyDto']) => call(() => api.POST('/v1/api-keys', { body })),
    onSuccess: (key) => {
      setCreated(key);
      void queries.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call(() => api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    create.mutate({ name: String(form.get('name')), roles: [form.get('role') as KeyRole] });
  }
  return (
    <section className="card" aria-labelledby="api-keys">
      <h2 id="api-keys">{t('apiKeys')}</h2>
      <ErrorBox error={keys.error ?? revoke.error} />
      <ul className="plain">
        {keys.data?.map((k) => (
          <li key={k.id} className="row wrap">
            <span>
              <strong>{k.name}</strong> <code>{k.prefix}…</code> {k.roles.join(', ')} · {formatJst(k.createdAt, lang)}
              {k.revokedAt && ` · ${t('revoked')}`}
            </span>
            {!k.revokedAt && (
              <button type="button" className="danger" onClick={() => window.confirm(t('revokeConfirm')) && revoke.mutate(k.id)}>
                {t('revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {created && (
        <div role="status" className="notice">
          {t('keyShownOnce')} <code className="secret">{created.key}</code>
        </div>
      )}
      <form className="row wrap" onSubmit={submit}>
        <Field id="new-key-name" label={t('keyName')}>
          <input id="new-key-name" name="name" required maxLength={100} />
        </Field>
        <Field id="new-key-role" label={t('role')}>
          <select id="new-key-role" name="role" defaultValue="maintainer">
            <option value="maintainer">{t('roleMaintainer')}</option>
            <option value="admin">{t('roleAdmin')}</option>
          </select>
        </Field>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('createKey')}
        </button>
      </form>
      <ErrorBox error={create.error} />
    </section>
  );
}
