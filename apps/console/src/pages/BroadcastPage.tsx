import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, download, type Schemas } from '../api/client';
import { formatJst, statusName, useI18n } from '../i18n';
import { useLiveTally, type Tally } from '../live-tally';
import { useSession } from '../session';
import { TreeToggle } from '../ui/TreeToggle';
import { ErrorBox, Loading, RateBar } from '../ui/ErrorBox';
import { ProxyAnswerForm } from '../ui/ProxyAnswerForm';

type Broadcast = Schemas['BroadcastView'];
type DepartmentCounts = Schemas['DepartmentCounts'];

export default function BroadcastPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const isAdmin = user?.role === 'admin';
  const queries = useQueryClient();
  const broadcast = useQuery({
    queryKey: ['broadcast', id],
    queryFn: () => call(() => api.GET('/v1/broadcasts/{id}', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  const live = useLiveTally(id);
  const [department, setDepartment] = useState<string | null>(null);
  // Who has not answered changes with every tally: read it again when a new one arrives.
  const computedAt = live.tally?.computedAt;
  useEffect(() => {
    if (computedAt) void queries.invalidateQueries({ queryKey: ['recipients', id] });
  }, [computedAt, id, queries]);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['broadcast', id] });
  const close = useMutation({ mutationFn: () => call(() => api.POST('/v1/broadcasts/{id}/close', { params: { path: { id } } })), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => call(() => api.POST('/v1/broadcasts/{id}/cancel', { params: { path: { id } } })), onSuccess: refresh });
  const remind = useMutation({ mutationFn: () => call(() => api.POST('/v1/broadcasts/{id}/remind', { params: { path: { id } } })), onSuccess: refresh });
  const csv = useMutation({ mutationFn: () => download(`/v1/broadcasts/${id}/answers.csv`, `answers-${id}.csv`) });

  if (broadcast.isPending) return <Loading />;
  if (!broadcast.data) return <ErrorBox error={broadcast.error} />;
  const b = broadcast.data;
  const tally = live.tally;
  const open = b.status !== 'closed' && b.status !== 'cancelled';
  return (
    <div className="stack">
      <header className={`card ${b.drill ? 'drill' : 'real'}`}>
        <h1>{b.displayTitle}</h1>
        <p className="muted">
          {t('status')}: <span data-testid="status">{statusName(t, b.status)}</span> · {formatJst(b.createdAt, lang)} · {t('sender')}:{' '}
          {b.source ? t('source') : b.senderName}
          {b.remindersSent > 0 && <> · {t('remindersSent', { n: b.remindersSent })}</>}
        </p>
        {b.closedReason && <p>{b.closedReason}</p>}
        {b.emailProviderNotes.map((n) => (
          <p key={n.at} className={n.kind === 'failover' ? 'warning-text' : 'muted'}>
            {formatJst(n.at, lang)} {t(n.kind === 'failover' ? 'emailFailover' : 'emailRecovered', { from: providerName(n.from), to: providerName(n.to) })}
            {n.reason && <span className="muted"> ({n.reason})</span>}
          </p>
        ))}
        {b.lineworksProgress && (
          <p className="muted" data-testid="lineworks-progress">
            {b.lineworksProgress.expectedDoneAt
              ? t('lineworksEta', {
                  n: b.lineworksProgress.pending,
                  at: formatJst(b.lineworksProgress.expectedDoneAt, lang),
                  rate: b.lineworksProgress.ratePerMinute,
                })
              : b.lineworksProgress.lastSentAt && t('lineworksDone', { at: formatJst(b.lineworksProgress.lastSentAt, lang) })}
          </p>
        )}
        <p className="live" role="status">
          {live.connected ? `● ${t('live')}` : t('reconnecting')}
        </p>
        <ErrorBox error={close.error ?? cancel.error ?? remind.error ?? csv.error} />
        {isAdmin && (
          <div className="row wrap">
            {open && (
              <button type="button" className="big" disabled={remind.isPending} onClick={() => remind.mutate()}>
                {t('remind')}
              </button>
            )}
            {open && (
              <button type="button" className="big" onClick={() => window.confirm(t('closeConfirm')) && close.mutate()}>
                {t('close')}
              </button>
            )}
            {(b.status === 'queued' || b.status === 'sending') && (
              <button type="button" className="danger big" onClick={() => window.confirm(t('cancelBroadcastConfirm')) && cancel.mutate()}>
                {t('cancelBroadcast')}
              </button>
            )}
            <button type="button" className="big" onClick={() => csv.mutate()}>
              {t('downloadCsv')}
            </button>
          </div>
        )}
      </header>
      {!tally && <Loading />}
      {tally && <Summary tally={tally} broadcast={b} />}
      {tally && <DepartmentTree tally={tally} onPick={setDepartment} picked={department} questions={b.questions} />}
      <Unanswered broadcast={b} department={department} canAnswer={isAdmin && open} />
    </div>
  );
}

function Summary({ tally, broadcast }: { tally: Tally; broadcast: Broadcast }) {
  const { t } = useI18n();
  const total = tally.total;
  const channels = tally.channels as Record<string, Schemas['ChannelCounts']>;
  return (
    <section className="card" aria-labelledby="summary">
      <h2 id="summary">{t('total')}</h2>
      <p className="big-number" data-testid="total">
        {t('answered')} <strong data-testid="answered">{total.answered}</strong>
        {' / '}
        {t('targeted')} <strong data-testid="targeted">{total.targeted}</strong>
        {' · '}
        {t('unanswered')} <strong>{total.unanswered}</strong>
      </p>
      <RateBar rate={total.answerRate} label={t('answerRate')} />
      <h3>{t('questionsTotal')}</h3>
      <QuestionCounts questions={broadcast.questions} counts={total.questions as Record<string, Record<string, number>>} />
      {Object.keys(channels ?? {}).length > 0 && (
        <>
          <h3>{t('perChannel')}</h3>
          <table className="compact">
            <thead>
              <tr>
                <th scope="col">{t('channels')}</th>
                <th scope="col">{t('targeted')}</th>
                <th scope="col">{t('delivered')}</th>
                <th scope="col">{t('answered')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(channels ?? {}).map(([channel, c]) => (
                <tr key={channel}>
                  <th scope="row">{channelName(channel)}</th>
                  <td>{c.targeted}</td>
                  <td>{c.delivered}</td>
                  <td>{c.answered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function QuestionCounts({ questions, counts }: { questions: Schemas['QuestionDto'][]; counts: Record<string, Record<string, number>> }) {
  const { lang } = useI18n();
  return (
    <dl className="questions">
      {questions.map((q) => (
        <div key={q.id}>
          <dt>{lang === 'en' && q.labelEn ? q.labelEn : q.label}</dt>
          <dd>
            {q.options.map((o) => (
              <span key={o.id} className="chip" data-testid={`q-${q.id}-${o.id}`}>
                {lang === 'en' && o.labelEn ? o.labelEn : o.label}: {counts?.[q.id]?.[o.id] ?? 0}
              </span>
            ))}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Rendered lazily: only open branches exist in the page, so 1,000 departments do not freeze it. */
function DepartmentTree(props: { tally: Tally; onPick(id: string | null): void; picked: string | null; questions: Schemas['QuestionDto'][] }) {
  const { tally, onPick, picked } = props;
  const { t } = useI18n();
  const chosen = tally.departments.find((d) => d.departmentId === picked);
  const children = useMemo(() => {
    const ids = new Set(tally.departments.map((d) => d.departmentId));
    const map = new Map<string | null, DepartmentCounts[]>();
    for (const d of tally.departments) {
      const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
      map.set(parent, [...(map.get(parent) ?? []), d]);
    }
    return map;
  }, [tally]);
  return (
    <section className="card" aria-labelledby="tree">
      <h2 id="tree">{t('tally')}</h2>
      <ul className="plain tree">
        {(children.get(null) ?? []).map((d) => (
          <TreeNode key={d.departmentId} d={d} tree={children} onPick={onPick} picked={picked} initiallyOpen />
        ))}
      </ul>
      {chosen && (
        <div className="stack picked-department" aria-live="polite">
          <h3>
            {chosen.name}: {t('answered')} {chosen.answered} / {t('targeted')} {chosen.targeted}
          </h3>
          <QuestionCounts questions={props.questions} counts={chosen.questions as Record<string, Record<string, number>>} />
        </div>
      )}
    </section>
  );
}

function TreeNode(props: {
  d: DepartmentCounts;
  tree: Map<string | null, DepartmentCounts[]>;
  onPick(id: string | null): void;
  picked: string | null;
  initiallyOpen?: boolean;
}) {
  const { d, tree, onPick, picked } = props;
  const { t } = useI18n();
  const [open, setOpen] = useState(Boolean(props.initiallyOpen));
  const kids = tree.get(d.departmentId) ?? [];
  return (
    <li>
      <div className={`tree-row tally-row ${picked === d.departmentId ? 'picked' : ''}`} data-testid={`dept-${d.name}`}>
        <TreeToggle name={d.name} open={open} hasChildren={kids.length > 0} onToggle={() => setOpen(!open)} />
        <button type="button" className="link dept-name" onClick={() => onPick(picked === d.departmentId ? null : d.departmentId)}>
          {d.name}
        </button>
        <RateBar rate={d.answerRate} label={`${d.name} ${t('answerRate')}`} />
        <span className="counts">
          {d.answered}/{d.targeted}
        </span>
      </div>
      {open && kids.length > 0 && (
        <ul className="plain">
          {kids.map((k) => (
            <TreeNode key={k.departmentId} d={k} tree={tree} onPick={onPick} picked={picked} />
          ))}
        </ul>
      )}
    </li>
  );
}

function Unanswered({ broadcast, department, canAnswer }: { broadcast: Broadcast; department: string | null; canAnswer: boolean }) {
  const { t } = useI18n();
  const list = useQuery({
    queryKey: ['recipients', broadcast.id, department],
    queryFn: () =>
      call(() =>
        api.GET('/v1/broadcasts/{id}/recipients', {
          params: { path: { id: broadcast.id }, query: { state: 'unanswered', limit: 100, ...(department && { department }) } },
        }),
      ),
    refetchInterval: 5_000,
  });
  const [answering, setAnswering] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="unanswered">
      <h2 id="unanswered">
        {t('unansweredPeople')} {list.data && <span className="muted">{t('total_n', { n: list.data.total })}</span>}
      </h2>
      <ErrorBox error={list.error} />
      {list.data?.total === 0 && <p className="muted">{t('none')}</p>}
      <div className="table-scroll" tabIndex={0} hidden={list.data?.total === 0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('department')}</th>
              <th scope="col">{t('reachableBy')}</th>
              {canAnswer && <th scope="col">{t('proxyAnswer')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((r) => (
              <tr key={r.recipientId}>
                <td>{r.name}</td>
                <td>{r.department}</td>
                <td>
                  {r.emails || r.mobiles ? (
                    <span className="contacts">
                      {[...(r.emails ?? []), ...(r.mobiles ?? [])].join(' / ')}
                      {r.bouncedEmails && r.bouncedEmails.length > 0 && (
                        <span className="warning-text" title={r.bouncedEmails.join(', ')}>
                          {' '}
                          ⚠ {t('emailBounced')}
                        </span>
                      )}
                    </span>
                  ) : (
                    Object.entries(r.channels as Record<string, boolean>)
                      .filter(([, on]) => on)
                      .map(([c]) => channelName(c))
                      .join(' · ')
                  )}
                </td>
                {canAnswer && (
                  <td>
                    {answering === r.recipientId ? (
                      <ProxyAnswerForm broadcast={broadcast} recipientId={r.recipientId} onDone={() => setAnswering(null)} />
                    ) : (
                      <button type="button" aria-label={`${t('proxyAnswer')}: ${r.name}`} onClick={() => setAnswering(r.recipientId)}>
                        {t('proxyAnswer')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function providerName(provider: string): string {
  return provider === 'sendgrid' ? 'SendGrid' : provider === 'smtp' ? 'SMTP' : provider;
}

/** How channels are named in the tally and the recipients list. */
function channelName(channel: string): string {
  return channel === 'lineworks' ? 'LINE WORKS' : channel.toUpperCase();
}
