import { type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox, Field } from '../ErrorBox';
import { LineWorksForm } from './LineWorksForm';

/** The tenant's own LINE channel, email sender, Twilio account and LINE WORKS bot. Secrets are write-only: the page shows whether one is set. */
export function ChannelsSection() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => call(() => api.GET('/v1/settings/channels')) });
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateChannelSettingsDto']) => call(() => api.PUT('/v1/settings/channels', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['channels'] }),
  });
  const c = channels.data;
  const fields = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    return Object.fromEntries([...new FormData(e.currentTarget)].filter(([, v]) => String(v).trim() !== '')) as Record<string, string>;
  };
  const set = (flag: boolean) => (flag ? t('secretSet') : t('secretNotSet'));
  return (
    <section className="card" aria-labelledby="channels">
      <h2 id="channels">{t('channelSettings')}</h2>
      <ErrorBox error={channels.error ?? save.error} />
      {save.isSuccess && (
        <p role="status" className="notice">
          {t('saved')}
        </p>
      )}
      {c && (
        <div className="grid2">
          <form className="stack" onSubmit={(e) => save.mutate({ line: fields(e) as unknown as Schemas['LineChannelInput'] })}>
            <h3>LINE</h3>
            <p className="muted">
              {c.line.usingPlatformDefault ? t('platformDefault') : `${t('channelId')}: ${c.line.channelId}`} · {t('channelSecret')}:{' '}
              {set(c.line.channelSecretSet)} · {t('accessToken')}: {set(c.line.accessTokenSet)}
            </p>
            <p className="muted">Webhook: {c.line.webhookUrl}</p>
            <Field id="line-channel-id" label={t('channelId')}>
              <input id="line-channel-id" name="channelId" required inputMode="numeric" />
            </Field>
            <Field id="line-secret" label={t('channelSecret')}>
              <input id="line-secret" name="channelSecret" type="password" autoComplete="off" required />
            </Field>
            <Field id="line-token" label={t('accessToken')}>
              <input id="line-token" name="accessToken" type="password" autoComplete="off" required />
            </Field>
            <Field id="line-basic" label="Basic ID">
              <input id="line-basic" name="basicId" placeholder="@123abcde" />
            </Field>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('save')}
            </button>
          </form>
          <form className="stack" onSubmit={(e) => save.mutate({ email: fields(e) as unknown as Schemas['EmailSenderInput'] })}>
            <h3>{t('channelEmail')}</h3>
            <p className="muted">{c.email.usingPlatformDefault ? t('platformDefault') : `${c.email.fromName} <${c.email.fromAddress}>`}</p>
            <Field id="email-from-name" label={t('fromName')}>
              <input id="email-from-name" name="fromName" required />
            </Field>
            <Field id="email-from-address" label={t('fromAddress')}>
              <input id="email-from-address" name="fromAddress" type="email" required />
            </Field>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('save')}
            </button>
          </form>
          <form className="stack" onSubmit={(e) => save.mutate({ sms: fields(e) as unknown as Schemas['SmsSenderInput'] })}>
            <h3>SMS (Twilio)</h3>
            <p className="muted">
              {c.sms.usingPlatformDefault ? t('platformDefault') : `Account SID: ${c.sms.accountSid}`} · Auth token: {set(c.sms.authTokenSet)}
            </p>
            <Field id="sms-sid" label="Account SID">
              <input id="sms-sid" name="accountSid" required />
            </Field>
            <Field id="sms-token" label="Auth token">
              <input id="sms-token" name="authToken" type="password" autoComplete="off" required />
            </Field>
            <Field id="sms-from" label={t('smsFrom')}>
              <input id="sms-from" name="from" placeholder="+815012345678" />
            </Field>
            <button type="submit" className="primary" disabled={save.isPending}>
              {t('save')}
            </button>
          </form>
          <LineWorksForm settings={c.lineworks} />
        </div>
      )}
    </section>
  );
}
