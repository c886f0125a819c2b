import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { ErrorBox } from './ErrorBox';

/** 代理回答: an admin records the answer someone gave by phone. */
export function ProxyAnswerForm({ broadcast, recipientId, onDone }: { broadcast: Schemas['BroadcastView']; recipientId: string; onDone(): void }) {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');
  const save = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/v1/broadcasts/{id}/recipients/{recipientId}/answer', {
          params: { path: { id: broadcast.id, recipientId } },
          body: { choices, ...(message.trim() && { message }) } as Schemas['ProxyAnswerDto'],
        }),
      ),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['recipients', broadcast.id] });
      onDone();
    },
  });
  const choose = (question: string, option: string) => setChoices({ ...choices, [question]: option });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} className="stack proxy">
      {broadcast.questions.map((q) => (
        <fieldset key={q.id}>
          <legend>{lang === 'en' && q.labelEn ? q.labelEn : q.label}</legend>
          {q.options.map((o) => (
            <label key={o.id} className="choice">
              <input type="radio" name={`q.${q.id}`} value={o.id} checked={choices[q.id] === o.id} onChange={() => choose(q.id, o.id)} />{' '}
              {lang === 'en' && o.labelEn ? o.labelEn : o.label}
            </label>
          ))}
        </fieldset>
      ))}
      <label>
        {t('proxyMessage')}
        <textarea value={message} onChange={(e) => setMessage(e.target.value)} rows={2} />
      </label>
      <ErrorBox error={save.error} />
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('save')}
      </button>
    </form>
  );
}
