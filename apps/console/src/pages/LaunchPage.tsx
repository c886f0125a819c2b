import { useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { api, call, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { DepartmentPicker } from '../ui/DepartmentPicker';
import { ErrorBox, Field, Loading } from '../ui/ErrorBox';
import { ChannelPreviews } from '../ui/ChannelPreviews';

type Launch = Schemas['LaunchBroadcastDto'];
type Step = 'compose' | 'preview' | 'confirm';
const CHANNELS = ['line', 'lineworks', 'email', 'sms'] as const;
const CHANNEL_LABEL = { line: 'channelLine', lineworks: 'channelLineWorks', email: 'channelEmail', sms: 'channelSms' } as const;

/**
 * 安否確認を送信: compose, preview exactly what each channel shows and to how many, then confirm
 * with the count and whether it is a drill. One Idempotency-Key per confirmation, so a double
 * click or a retried request sends one alert.
 */
export default function LaunchPage() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => call(() => api.GET('/v1/templates')) });
  const [step, setStep] = useState<Step>('compose');
  const [templateId, setTemplateId] = useState('preset:drill');
  const [targetKind, setTargetKind] = useState<'all' | 'departments' | 'employees'>('all');
  const [departmentIds, setDepartmentIds] = useState<string[]>([]);
  const [employeeIds, setEmployeeIds] = useState<string[]>([]);
  const template = templates.data?.find((x) => x.id === templateId);
  const [drill, setDrill] = useState<boolean | null>(null);
  const [channels, setChannels] = useState<string[] | null>(null);
  const [reminders, setReminders] = useState<'template' | 'none' | 'custom'>('template');
  const [reminder, setReminder] = useState({ intervalMinutes: 30, maxReminders: 3 });
  const [escalation, setEscalation] = useState<'template' | 'none' | 'custom'>('template');
  const [afterMinutes, setAfterMinutes] = useState(15);
  const idempotencyKey = useRef<string>('');

  const dto = useMemo<Launch>(() => {
    const targets = targetKind === 'all' ? { all: true } : targetKind === 'departments' ? { departmentIds } : { employeeIds };
    return {
      templateId,
      targets,
      drill: drill ?? template?.drill ?? false,
      channels: (channels ?? template?.channels ?? [...CHANNELS]) as Launch['channels'],
      ...(reminders === 'none' && { reminder: null as unknown as Launch['reminder'] }),
      ...(reminders === 'custom' && { reminder: reminder as unknown as Launch['reminder'] }),
      ...(escalation === 'none' && { escalation: null as unknown as Launch['escalation'] }),
      // One channel at a time, in the order chosen (LINE, email, SMS), the next after afterMinutes without an answer.
      ...(escalation === 'custom' && {
        escalation: {
          order: CHANNELS.filter((c) => (channels ?? template?.channels ?? CHANNELS).includes(c)),
          afterMinutes,
        } as unknown as Launch['escalation'],
      }),
    };
  }, [templateId, targetKind, departmentIds, employeeIds, drill, channels, reminders, reminder, escalation, afterMinutes, template]);
  const chosenChannels = dto.channels ?? [];
  const nothingChosen = (targetKind === 'departments' && departmentIds.length === 0) || (targetKind === 'employees' && employeeIds.length === 0);

  const preview = useMutation({ mutationFn: (body: Launch) => call(() => api.POST('/v1/broadcasts/preview', { body })) });
  const launch = useMutation({
    mutationFn: (body: Launch) => call(() => api.POST('/v1/broadcasts', { body, params: { header: { 'Idempotency-Key': idempotencyKey.current } } })),
    onSuccess: (broadcast) => navigate(`/broadcasts/${broadcast.id}`),
  });

  if (templates.isPending) return <Loading />;
  return (
    <div className="stack launch">
      <h1>{t('launch')}</h1>
      <ErrorBox error={templates.error} />
      {step === 'compose' && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            preview.mutate(dto, { onSuccess: () => setStep('preview') });
          }}
        >
          <Field id="launch-template" label={t('template')}>
            <select id="launch-template" value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
              {templates.data?.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                  {x.drill ? `（${t('drill')}）` : ''}
                </option>
              ))}
            </select>
          </Field>
          <fieldset>
            <legend>{t('kind')}</legend>
            <label className="choice">
              <input type="radio" name="drill" checked={dto.drill === true} onChange={() => setDrill(true)} /> {t('drill')}
            </label>
            <label className="choice">
              <input type="radio" name="drill" checked={dto.drill === false} onChange={() => setDrill(false)} /> {t('real')}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('targets')}</legend>
            {(['all', 'departments', 'employees'] as const).map((kind) => (
              <label key={kind} className="choice">
                <input type="radio" name="targets" checked={targetKind === kind} onChange={() => setTargetKind(kind)} /> {t(kind === 'all' ? 'everyone' : kind)}
              </label>
            ))}
            {targetKind === 'departments' && <DepartmentPicker selected={departmentIds} onChange={setDepartmentIds} />}
            {targetKind === 'employees' && <EmployeePicker selected={employeeIds} onChange={setEmployeeIds} />}
          </fieldset>
          <fieldset>
            <legend>{t('channels')}</legend>
            {CHANNELS.map((c) => (
              <label key={c} className="choice">
                <input
                  type="checkbox"
                  checked={chosenChannels.includes(c)}
                  onChange={(e) => setChannels(e.target.checked ? [...chosenChannels, c] : chosenChannels.filter((x) => x !== c))}
                />{' '}
                {t(CHANNEL_LABEL[c])}
              </label>
            ))}
          </fieldset>
          <Field id="launch-reminders" label={t('reminders')}>
            <select id="launch-reminders" value={reminders} onChange={(e) => setReminders(e.target.value as 'template' | 'none' | 'custom')}>
              <option value="template">{t('remindersTemplate')}</option>
              <option value="none">{t('remindersNone')}</option>
              <option value="custom">{t('remindersCustom')}</option>
            </select>
          </Field>
          {reminders === 'custom' && (
            <div className="grid2">
              <Field id="launch-reminder-interval" label={t('reminderInterval')}>
                <input
                  id="launch-reminder-interval"
                  type="number"
                  min={1}
                  max={1440}
                  value={reminder.intervalMinutes}
                  onChange={(e) => setReminder({ ...reminder, intervalMinutes: Number(e.target.value) })}
                />
              </Field>
              <Field id="launch-reminder-max" label={t('reminderMax')}>
                <input
                  id="launch-reminder-max"
                  type="number"
                  min={1}
                  max={10}
                  value={reminder.maxReminders}
                  onChange={(e) => setReminder({ ...reminder, maxReminders: Number(e.target.value) })}
                />
              </Field>
            </div>
          )}
          <Field id="launch-escalation" label={t('escalation')}>
            <select id="launch-escalation" value={escalation} onChange={(e) => setEscalation(e.target.value as 'template' | 'none' | 'custom')}>
              <option value="template">{t('escalationTemplate')}</option>
              <option value="none">{t('escalationNone')}</option>
              <option value="custom">{t('escalationCustom')}</option>
            </select>
          </Field>
          {escalation === 'custom' && (
            <Field id="launch-escalation-after" label={t('escalationAfter')}>
              <input
                id="launch-escalation-after"
                type="number"
                min={1}
                max={1440}
                value={afterMinutes}
                onChange={(e) => setAfterMinutes(Number(e.target.value))}
              />
            </Field>
          )}
          {nothingChosen && <p className="muted">{t('selectSomething')}</p>}
          <ErrorBox error={preview.error} />
          <button type="submit" className="primary big" disabled={nothingChosen || preview.isPending}>
            {t('preview')}
          </button>
        </form>
      )}
      {step === 'preview' && preview.data && (
        <div className="stack">
          <p className="headcount">
            {t('recipients')}: <strong>{t('people', { n: preview.data.recipients })}</strong>
          </p>
          {preview.data.unreachable > 0 && <p className="warning-text">{t('unreachable', { n: preview.data.unreachable })}</p>}
          <ChannelPreviews preview={preview.data} />
          <div className="row">
            <button type="button" className="big" onClick={() => setStep('compose')}>
              {t('back')}
            </button>
            <button
              type="button"
              className="primary big"
              onClick={() => {
                idempotencyKey.current = crypto.randomUUID();
                setStep('confirm');
              }}
            >
              {t('next')}
            </button>
          </div>
        </div>
      )}
      {step === 'confirm' && preview.data && (
        <section className={`card confirm ${dto.drill ? 'drill' : 'real'}`} aria-labelledby="confirm-title">
          <h2 id="confirm-title">{t('confirmTitle')}</h2>
          <p className="confirm-count">{t('confirmText', { n: preview.data.recipients, title: preview.data.displayTitle })}</p>
          <p className="confirm-kind">
            <strong>{dto.drill ? t('confirmDrill') : t('confirmReal')}</strong>
          </p>
          <ErrorBox error={launch.error} />
          <div className="row">
            <button type="button" className="big" onClick={() => setStep('preview')} disabled={launch.isPending}>
              {t('back')}
            </button>
            <button
              type="button"
              className={`big ${dto.drill ? 'primary' : 'danger'}`}
              disabled={launch.isPending || launch.isSuccess}
              onClick={() => launch.mutate(dto)}
            >
              {launch.isPending ? t('sending') : t('send')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}

function EmployeePicker({ selected, onChange }: { selected: string[]; onChange(ids: string[]): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['employees', 'search', q],
    queryFn: () => call(() => api.GET('/v1/employees', { params: { query: { q, limit: 20 } } })),
    enabled: q.trim().length > 0,
  });
  const [names, setNames] = useState<Record<string, string>>({});
  return (
    <div className="stack">
      <Field id="launch-employee-search" label={t('search')}>
        <input id="launch-employee-search" type="search" value={q} placeholder={t('searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
      </Field>
      <ErrorBox error={found.error} />
      <ul className="plain">
        {found.data?.items.map((e) => (
          <li key={e.id}>
            <label className="choice">
              <input
                type="checkbox"
                checked={selected.includes(e.id)}
                onChange={(ev) => {
                  setNames({ ...names, [e.id]: e.name });
                  onChange(ev.target.checked ? [...selected, e.id] : selected.filter((x) => x !== e.id));
                }}
              />{' '}
              {e.name} <span className="muted">{e.code}</span>
            </label>
          </li>
        ))}
      </ul>
      {selected.length > 0 && <p>{selected.map((id) => names[id] ?? id).join('、')}</p>}
    </div>
  );
}
