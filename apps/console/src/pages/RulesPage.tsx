import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../api/client';
import { formatJst, useI18n } from '../i18n';
import { ErrorBox, Loading } from '../ui/ErrorBox';

/** Automatic launch rules: each with its condition and switch, and what JMA telegrams did lately. */
export default function RulesPage() {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const rules = useQuery({ queryKey: ['rules'], queryFn: () => call(() => api.GET('/v1/auto-launch-rules')) });
  const launches = useQuery({
    queryKey: ['auto-launches', 'all'],
    queryFn: () => call(() => api.GET('/v1/auto-launches', { params: { query: { limit: 20 } } })),
  });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      call(() => api.PATCH('/v1/auto-launch-rules/{id}', { params: { path: { id } }, body: { enabled } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['rules'] }),
  });
  if (rules.isPending) return <Loading />;
  return (
    <div className="stack">
      <h1>{t('rules')}</h1>
      <ErrorBox error={rules.error ?? toggle.error ?? launches.error} />
      <ul className="plain cards">
        {(Array.isArray(rules.data) ? rules.data : []).map((r) => (
          <li key={r.id} className="card">
            <h2>{r.name}</h2>
            <p>
              {r.kind} {r.minLevel ?? ''} · {r.prefectures.length === 0 ? '全国' : r.prefectures.join(', ')} · {r.target}
              {r.holdMinutes > 0 && ` · hold ${r.holdMinutes} min`}
            </p>
            <label className="choice">
              <input type="checkbox" checked={r.enabled} onChange={(e) => toggle.mutate({ id: r.id, enabled: e.target.checked })} />{' '}
              {r.enabled ? t('enabled') : t('disabled')}
            </label>
          </li>
        ))}
      </ul>
      <section className="card" aria-labelledby="recent-launches">
        <h2 id="recent-launches">{t('recent')}</h2>
        <ul className="plain">
          {launches.data?.items.map((l) => (
            <li key={l.id}>
              {formatJst(l.createdAt, lang)} · {l.title} · {l.state}
              {l.reason && ` (${l.reason})`}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
