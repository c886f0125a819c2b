import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { formatJst, useI18n } from '../i18n';
import { ErrorBox, Field, Loading } from '../ui/ErrorBox';

/** What employees wrote on LINE, with their name and department; a reply goes back on LINE. */
export default function InboxPage() {
  const { t } = useI18n();
  const inbox = useQuery({
    queryKey: ['inbox'],
    queryFn: () => call(() => api.GET('/v1/inbox', { params: { query: { limit: 100 } } })),
    refetchInterval: 15_000,
  });
  return (
    <div className="stack">
      <h1>{t('inbox')}</h1>
      {inbox.isPending && <Loading />}
      <ErrorBox error={inbox.error} />
      {inbox.data?.items.length === 0 && <p className="muted">{t('none')}</p>}
      <ul className="plain stack">
        {inbox.data?.items.map((m) => (
          <InboxMessage key={m.id} message={m} />
        ))}
      </ul>
    </div>
  );
}

function InboxMessage({ message: m }: { message: Schemas['InboxMessageView'] }) {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const reply = useMutation({
    mutationFn: () => call(() => api.POST('/v1/inbox/{id}/reply', { params: { path: { id: m.id } }, body: { text } })),
    onSuccess: () => {
      setText('');
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  return (
    <li className="card">
      <p className="muted">
        {formatJst(m.receivedAt, lang)} · <strong>{m.employee.name}</strong> ({m.employee.code}) · {m.employee.departmentName ?? '—'}
        {m.channel === 'lineworks' ? ` · ${t('viaLineWorks')}` : m.employee.lineDisplayName && ` · LINE: ${m.employee.lineDisplayName}`}
      </p>
      <p className="message">{m.text}</p>
      {m.replyText ? (
        <p className="notice">
          {t('replied')} ({formatJst(m.repliedAt, lang)}): {m.replyText}
        </p>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            reply.mutate();
          }}
        >
          <Field id={`reply-${m.id}`} label={`${t('reply')}: ${m.employee.name}`}>
            <textarea id={`reply-${m.id}`} value={text} rows={2} onChange={(e) => setText(e.target.value)} required maxLength={2000} />
          </Field>
          <ErrorBox error={reply.error} />
          <button type="submit" className="primary" disabled={reply.isPending || !text.trim()}>
            {t('sendReply')}
          </button>
        </form>
      )}
    </li>
  );
}
