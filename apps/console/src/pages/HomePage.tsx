import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, call, type Schemas } from '../api/client';
import { formatJst, statusName, useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBox, Loading, RateBar } from '../ui/ErrorBox';

type Broadcast = Schemas['BroadcastView'];

export function HomePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const isAdmin = user?.role === 'admin';
  const list = useQuery({
    queryKey: ['broadcasts'],
    queryFn: () => call(() => api.GET('/v1/broadcasts', { params: { query: { limit: 20 } } })),
    refetchInterval: 10_000,
  });
  const open = list.data?.items.filter((b) => b.status !== 'closed' && b.status !== 'cancelled') ?? [];
  const past = list.data?.items.filter((b) => b.status === 'closed' || b.status === 'cancelled') ?? [];
  return (
    <div className="stack">
      {isAdmin && (
        <Link href="/launch" className="button primary big launch-button">
          {t('launch')}
        </Link>
      )}
      {isAdmin && <PendingLaunches />}
      <section aria-labelledby="in-progress">
        <h2 id="in-progress">{t('inProgress')}</h2>
        {list.isPending && <Loading />}
        <ErrorBox error={list.error} />
        {list.data && open.length === 0 && <p className="muted">{t('none')}</p>}
        <div className="cards">
          {open.map((b) => (
            <BroadcastCard key={b.id} broadcast={b} />
          ))}
        </div>
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">{t('recent')}</h2>
        {list.data && past.length === 0 && <p className="muted">{t('none')}</p>}
        <ul className="plain">
          {past.map((b) => (
            <li key={b.id}>
              <Link href={`/broadcasts/${b.id}`}>{b.displayTitle}</Link> <span className="muted">{statusName(t, b.status)}</span> <AnswerRate id={b.id} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function BroadcastCard({ broadcast: b }: { broadcast: Broadcast }) {
  const { t, lang } = useI18n();
  const detail = useQuery({
    queryKey: ['broadcast', b.id],
    queryFn: () => call(() => api.GET('/v1/broadcasts/{id}', { params: { path: { id: b.id } } })),
    refetchInterval: 5_000,
  });
  const counts = (detail.data?.counts ?? {}) as Record<string, Schemas['StateCounts']>;
  return (
    <article className={`card ${b.drill ? 'drill' : 'real'}`}>
      <h3>
        <Link href={`/broadcasts/${b.id}`}>{b.displayTitle}</Link>
      </h3>
      <p className="muted">
        {statusName(t, b.status)} · {formatJst(b.createdAt, lang)} · {b.source ? t('source') : b.senderName}
      </p>
      <AnswerRate id={b.id} />
      {Object.keys(counts).length > 0 && (
        <table className="compact">
          <caption className="sr-only">{t('perChannel')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('channels')}</th>
              <th scope="col">{t('sent')}</th>
              <th scope="col">{t('pending')}</th>
              <th scope="col">{t('failed')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(counts).map(([channel, c]) => (
              <tr key={channel}>
                <th scope="row">{channel.toUpperCase()}</th>
                <td>{c.sent}</td>
                <td>{c.pending}</td>
                <td>{c.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function AnswerRate({ id }: { id: string }) {
  const { t } = useI18n();
  const tally = useQuery({
    queryKey: ['tally', id],
    queryFn: () => call(() => api.GET('/v1/broadcasts/{id}/tally', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  if (!tally.data) return null;
  const total = tally.data.total;
  return (
    <span className="answer-rate">
      {t('answerRate')} <RateBar rate={total.answerRate} /> {total.answered} / {total.targeted}
    </span>
  );
}

function PendingLaunches() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const pending = useQuery({
    queryKey: ['auto-launches', 'pending'],
    queryFn: () => call(() => api.GET('/v1/auto-launches', { params: { query: { state: 'pending' } } })),
    refetchInterval: 5_000,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => call(() => api.POST('/v1/auto-launches/{id}/cancel', { params: { path: { id } } })),
    onSettled: () => queries.invalidateQueries({ queryKey: ['auto-launches'] }),
  });
  const items = pending.data?.items ?? [];
  if (items.length === 0 && !pending.error) return null;
  return (
    <section aria-labelledby="pending" className="card warning">
      <h2 id="pending">{t('pendingLaunches')}</h2>
      <ErrorBox error={pending.error ?? cancel.error} />
      <ul className="plain">
        {items.map((l) => (
          <li key={l.id} className="row">
            <span>
              <strong>{l.title}</strong> <HoldLeft seconds={l.holdSecondsLeft} />
            </span>
            <button
              type="button"
              className="danger big"
              disabled={cancel.isPending}
              onClick={() => window.confirm(t('cancelLaunchConfirm')) && cancel.mutate(l.id)}
            >
              {t('cancel')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Counts down between refetches, so the time left moves every second. */
function HoldLeft({ seconds }: { seconds: number }) {
  const { t } = useI18n();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    const started = Date.now();
    const timer = setInterval(() => setLeft(Math.max(0, seconds - Math.floor((Date.now() - started) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [seconds]);
  const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <span className="hold" aria-live="off">
      {t('holdLeft', { s: text })}
    </span>
  );
}
