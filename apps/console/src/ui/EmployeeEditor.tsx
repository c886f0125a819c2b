import { type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { nameOf, useI18n } from '../i18n';
import { DepartmentOptions } from './DepartmentPicker';
import { ErrorBox, Field } from './ErrorBox';

type Employee = Schemas['EmployeeView'];

const list = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(/[\s,、]+/)
    .filter(Boolean);
/** The API takes a prefecture's code or its name (東京都); empty clears it. */
const prefecture = (value: FormDataEntryValue | null) => {
  const text = String(value ?? '').trim();
  return (text === '' ? null : /^\d+$/.test(text) ? Number(text) : text) as number;
};

/** An employee's detail: contacts, department, prefectures, LINE status and invitation. */
export function EmployeeEditor({ employee: e, onDone }: { employee: Employee; onDone(): void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(() => api.GET('/v1/departments')) });
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateEmployeeDto']) => call(() => api.PATCH('/v1/employees/{id}', { params: { path: { id: e.id } }, body })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['employees'] });
      onDone();
    },
  });
  const invite = useMutation({ mutationFn: () => call(() => api.POST('/v1/employees/{id}/line-invite', { params: { path: { id: e.id } } })) });
  const clearBounces = useMutation({
    mutationFn: () => call(() => api.DELETE('/v1/employees/{id}/email-bounces', { params: { path: { id: e.id } } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['employees'] }),
  });
  const bounces = clearBounces.data ? clearBounces.data.emailBounces : (e.emailBounces ?? []);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    save.mutate({
      name: String(f.get('name')),
      kana: String(f.get('kana') ?? ''),
      departmentId: String(f.get('departmentId')) || undefined,
      emails: list(f.get('emails')),
      mobiles: list(f.get('mobiles')),
      lineworksId: String(f.get('lineworksId') ?? '').trim() || null,
      workPrefecture: prefecture(f.get('workPrefecture')),
      homePrefecture: prefecture(f.get('homePrefecture')),
      active: f.get('active') === 'on',
    } as Schemas['UpdateEmployeeDto']);
  }
  const id = (name: string) => `employee-${e.id}-${name}`;
  return (
    <form className="card stack" onSubmit={submit} aria-label={`${t('employeeDetail')}: ${e.name}`}>
      <h3>
        {e.name} <span className="muted">{e.code}</span>
      </h3>
      <div className="grid2">
        <Field id={id('name')} label={t('name')}>
          <input id={id('name')} name="name" defaultValue={e.name} required maxLength={100} />
        </Field>
        <Field id={id('kana')} label={t('kana')}>
          <input id={id('kana')} name="kana" defaultValue={e.kana ?? ''} />
        </Field>
        <Field id={id('department')} label={t('department')}>
          <select id={id('department')} name="departmentId" defaultValue={e.department?.id ?? ''}>
            <DepartmentOptions departments={departments.data} />
          </select>
        </Field>
        <Field id={id('emails')} label={t('emails')}>
          <input id={id('emails')} name="emails" defaultValue={(e.emails ?? []).join(', ')} />
        </Field>
        <Field id={id('mobiles')} label={t('mobiles')}>
          <input id={id('mobiles')} name="mobiles" defaultValue={(e.mobiles ?? []).join(', ')} inputMode="tel" />
        </Field>
        <Field id={id('lineworks')} label={`${t('lineworksId')} (${t('lineworksIdHint')})`}>
          <input id={id('lineworks')} name="lineworksId" defaultValue={e.lineworksId ?? ''} placeholder={e.emails?.[0] ?? ''} />
        </Field>
        <Field id={id('work')} label={t('workPrefecture')}>
          <input id={id('work')} name="workPrefecture" defaultValue={e.workPrefecture ?? ''} placeholder="東京都" />
        </Field>
        <Field id={id('home')} label={t('homePrefecture')}>
          <input id={id('home')} name="homePrefecture" defaultValue={e.homePrefecture ?? ''} placeholder="神奈川県" />
        </Field>
      </div>
      {bounces.length > 0 && (
        <p className="warning-text" role="status">
          ⚠ {t('emailBouncedNotice', { list: bounces.map((b) => `${b.address}（${b.reason}）`).join(', ') })}{' '}
          <button type="button" onClick={() => clearBounces.mutate()} disabled={clearBounces.isPending}>
            {t('clearBounces')}
          </button>
        </p>
      )}
      <label className="choice">
        <input type="checkbox" name="active" defaultChecked={e.active} /> {t('active')}
      </label>
      <p>
        LINE: {e.line ? nameOf(t, 'lineStatusNames', e.line.status) : '—'}{' '}
        {e.line?.status !== 'linked' && (
          <button type="button" onClick={() => invite.mutate()} disabled={invite.isPending}>
            {t('lineInvite')}
          </button>
        )}
        {invite.data && <span className="notice"> {t('inviteQueued', { n: invite.data.queued })}</span>}
      </p>
      <ErrorBox error={save.error ?? invite.error ?? clearBounces.error ?? departments.error} />
      <div className="row wrap">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('back')}
        </button>
      </div>
    </form>
  );
}
