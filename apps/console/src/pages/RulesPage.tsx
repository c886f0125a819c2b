import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { formatJst, useI18n } from '../i18n';
import { ErrorBox, Loading } from '../ui/ErrorBox';
import { RuleForm } from '../ui/RuleForm';

/** Automatic launch rules: create, change, switch on and off; and what JMA telegrams did lately. */
export default function RulesPage() {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const [editing, setEditing] = useState<string | null>(null);
  const rules = useQuery({ queryKey: ['rules'], queryFn: () => call(() => api.GET('/v1/auto-launch-rules')) });
  const launches = useQuery({
    queryKey: ['auto-launches', 'all'],
    queryFn: () => call(() => api.GET('/v1/auto-launches', { params: { query: { limit: 20 } } })),
  });
  // The switch moves in the same render as the click; once the server has answered and the rules are read again,
  // the server's value shows, so a refused change goes back.
  const [moved, setMoved] = useState<Record<string, boolean>>({});
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      call(() => api.PATCH('/v1/auto-launch-rules/{id}', { params: { path: { id } }, body: { enabled } })),
    onSettled: async (_data, _error, { id }) => {
      await queries.invalidateQueries({ queryKey: ['rules'] });
      setMoved((m) => {
        const rest = { ...m };
        delete rest[id];
        return rest;
      });
    },
  });
  const enabled = (r: Schemas['AutoLaunchRuleView']) => moved[r.id] ?? r.enabled;
  if (rules.isPending) return <Loading />;
  return (
    <div className="stack">
      <h1>{t('rules')}</h1>
      <ErrorBox error={rules.error ?? toggle.error ?? launches.error} />
      {editing === 'new' ? (
        <section className="card" aria-label={t('newRule')}>
          <h2>{t('newRule')}</h2>
          <RuleForm onDone={() => setEditing(null)} />
        </section>
      ) : (
        <button type="button" className="primary big" onClick={() => setEditing('new')}>
          {t('newRule')}
        </button>
      )}
      <ul className="plain cards">
        {rules.data?.map((r) => (
          <li key={r.id} className="card">
            <h2>{r.name}</h2>
            {editing === r.id ? (
              <RuleForm rule={r} onDone={() => setEditing(null)} />
            ) : (
              <>
                <p>
                  {r.kind} {r.minLevel ?? ''} · {r.prefectures.length === 0 ? t('allJapan') : r.prefectures.join(', ')} · {r.target}
                  {r.holdMinutes > 0 && ` · ${t('holdMinutes')} ${r.holdMinutes}`}
                </p>
                <div className="row wrap">
                  <label className="choice">
                    <input
                      type="checkbox"
                      checked={enabled(r)}
                      onChange={(e) => {
                        setMoved((m) => ({ ...m, [r.id]: e.target.checked }));
                        toggle.mutate({ id: r.id, enabled: e.target.checked });
                      }}
                    />{' '}
                    {enabled(r) ? t('enabled') : t('disabled')}
                  </label>
                  <button type="button" onClick={() => setEditing(r.id)}>
                    {t('edit')}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <section className="card" aria-labelledby="recent-launches">
        <h2 id="recent-launches">{t('recentAutoLaunches')}</h2>
        <ul className="plain">
          {launches.data?.items.map((l) => (
            <li key={l.id}>
              {formatJst(l.createdAt, lang)} · {l.title} · {l.state}
              {l.reason && ` (${l.reason})`}
            </li>
          ))}
          {launches.data?.items.length === 0 && <li className="muted">{t('none')}</li>}
        </ul>
      </section>
    </div>
  );
}
