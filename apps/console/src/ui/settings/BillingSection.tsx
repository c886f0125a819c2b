import { useMutation, useQuery } from '@tanstack/react-query';
import { api, call, download } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox, RateBar } from '../ErrorBox';

/** This month's messages against the pack, the projection to month end, and invoices with their CSV. */
export function BillingSection() {
  const { t } = useI18n();
  const usage = useQuery({ queryKey: ['usage'], queryFn: () => call(() => api.GET('/v1/billing/usage')) });
  const invoices = useQuery({ queryKey: ['invoices'], queryFn: () => call(() => api.GET('/v1/billing/invoices')) });
  const csv = useMutation({ mutationFn: ({ id, month }: { id: string; month: string }) => download(`/v1/billing/invoices/${id}.csv`, `invoice-${month}.csv`) });
  const u = usage.data;
  const plan = (u?.plan ?? null) as { name?: string; includedMessages?: number } | null;
  const yen = (n: number) => `${n.toLocaleString('ja-JP')} 円`;
  return (
    <section className="card" aria-labelledby="billing">
      <h2 id="billing">{t('billing')}</h2>
      <ErrorBox error={usage.error ?? invoices.error ?? csv.error} />
      {u && (
        <div className="stack">
          <p>
            {u.month} · {plan?.name ?? '—'} · {t('used')} <strong>{u.countedUnits.toLocaleString()}</strong>
            {plan?.includedMessages ? ` / ${plan.includedMessages.toLocaleString()}` : ''} ({t('drill')} {u.drillUnits.toLocaleString()})
          </p>
          {u.percentUsed !== null && <RateBar rate={Math.min(1, (u.percentUsed ?? 0) / 100)} label={t('used')} />}
          <p>
            {t('projection')}: {u.projectedUnits.toLocaleString()} · {t('overage')}: {u.projectedOverageUnits.toLocaleString()} ({yen(u.projectedOverageYen)})
          </p>
        </div>
      )}
      <h3>{t('invoices')}</h3>
      <ul className="plain">
        {invoices.data?.map((i) => (
          <li key={i.id} className="row wrap">
            <span>
              {i.month} · {i.status} · {yen(i.total)}
            </span>
            <button type="button" onClick={() => csv.mutate({ id: i.id, month: i.month })}>
              CSV
            </button>
          </li>
        ))}
        {invoices.data?.length === 0 && <li className="muted">{t('none')}</li>}
      </ul>
    </section>
  );
}
