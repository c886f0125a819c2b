import { type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox, Field } from '../ErrorBox';

/**
 * The tenant's LINE WORKS app and bot. Secrets and the key are write-only (left empty: the stored
 * ones stay); 接続テスト gets a token with what is stored and says what happened.
 */
export function LineWorksForm({ settings }: { settings: Schemas['LineWorksSettingsView'] }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const save = useMutation({
    mutationFn: (lineworks: Schemas['LineWorksInput']) => call(() => api.PUT('/v1/settings/channels', { body: { lineworks } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['channels'] }),
  });
  const test = useMutation({ mutationFn: () => call(() => api.POST('/v1/settings/channels/lineworks/test')) });
  const set = (flag: boolean) => (flag ? t('secretSet') : t('secretNotSet'));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = Object.fromEntries([...new FormData(e.currentTarget)].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v !== ''));
    save.mutate({ ...f, ...(f.ratePerMinute && { ratePerMinute: Number(f.ratePerMinute) }) } as unknown as Schemas['LineWorksInput']);
  }
  return (
    <form className="stack" onSubmit={submit} aria-labelledby="lineworks-settings">
      <h3 id="lineworks-settings">{t('lineworksSettings')}</h3>
      <ErrorBox error={save.error ?? test.error} />
      <p className="muted">
        {settings.configured ? `Bot ID: ${settings.botId}` : t('lineworksNotSet')} · Client Secret: {set(settings.clientSecretSet)} · Private Key:{' '}
        {set(settings.privateKeySet)} · Bot Secret: {set(settings.botSecretSet)}
      </p>
      {settings.callbackUrl && (
        <p className="muted">
          {t('lineworksCallback')}: {settings.callbackUrl}
        </p>
      )}
      <Field id="lw-client-id" label="Client ID">
        <input id="lw-client-id" name="clientId" required defaultValue={settings.clientId ?? ''} />
      </Field>
      <Field id="lw-client-secret" label="Client Secret">
        <input id="lw-client-secret" name="clientSecret" type="password" autoComplete="off" required={!settings.clientSecretSet} />
      </Field>
      <Field id="lw-service-account" label="Service Account">
        <input id="lw-service-account" name="serviceAccount" required defaultValue={settings.serviceAccount ?? ''} placeholder="xxxxx.serviceaccount@example" />
      </Field>
      <Field id="lw-private-key" label={t('lineworksPrivateKey')}>
        <textarea
          id="lw-private-key"
          name="privateKey"
          rows={3}
          autoComplete="off"
          required={!settings.privateKeySet}
          placeholder="-----BEGIN PRIVATE KEY-----"
        />
      </Field>
      <Field id="lw-bot-id" label="Bot ID">
        <input id="lw-bot-id" name="botId" required inputMode="numeric" defaultValue={settings.botId ?? ''} />
      </Field>
      <Field id="lw-bot-secret" label="Bot Secret">
        <input id="lw-bot-secret" name="botSecret" type="password" autoComplete="off" required={!settings.botSecretSet} />
      </Field>
      <Field id="lw-domain-id" label="Domain ID">
        <input id="lw-domain-id" name="domainId" required inputMode="numeric" defaultValue={settings.domainId ?? ''} />
      </Field>
      <Field id="lw-rate" label={t('lineworksRate')}>
        <input id="lw-rate" name="ratePerMinute" type="number" min={1} max={6000} defaultValue={settings.ratePerMinute} />
      </Field>
      <div className="row wrap">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('save')}
        </button>
        {settings.configured && (
          <button type="button" disabled={test.isPending} onClick={() => test.mutate()}>
            {t('lineworksTest')}
          </button>
        )}
      </div>
      {test.data && (
        <p role="status" className={test.data.ok ? 'notice' : 'warning-text'}>
          {test.data.message}
        </p>
      )}
    </form>
  );
}
