import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { DepartmentPicker } from './DepartmentPicker';
import { ErrorBox, Field } from './ErrorBox';

type Rule = Schemas['AutoLaunchRuleView'];
type Body = Schemas['CreateAutoLaunchRuleDto'];

const LEVELS: Record<string, { value: string; label: string }[]> = {
  earthquake: ['4', '5-', '5+', '6-', '6+', '7'].map((v) => ({ value: v, label: `震度${v.replace('-', '弱').replace('+', '強')}` })),
  tsunami: [
    { value: 'advisory', label: '津波注意報' },
    { value: 'warning', label: '津波警報' },
    { value: 'major_warning', label: '大津波警報' },
  ],
  special_warning: [],
};

/** Creates a rule, or changes one (`rule` given). Prefectures are typed as names or codes, separated by 、 or commas. */
export function RuleForm({ rule, onDone }: { rule?: Rule; onDone(): void }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => call(() => api.GET('/v1/templates')) });
  const [kind, setKind] = useState<Body['kind']>(rule?.kind ?? 'earthquake');
  const [target, setTarget] = useState<Body['target']>(rule?.target ?? 'affected');
  const [departmentIds, setDepartmentIds] = useState<string[]>(rule?.departmentIds ?? []);
  const save = useMutation({
    mutationFn: (body: Body) =>
      rule
        ? call(() => api.PATCH('/v1/auto-launch-rules/{id}', { params: { path: { id: rule.id } }, body }))
        : call(() => api.POST('/v1/auto-launch-rules', { body })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['rules'] });
      onDone();
    },
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '').trim();
    const prefectures = text('prefectures')
      .split(/[、,，\s]+/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    save.mutate({
      name: text('name'),
      kind,
      ...(kind !== 'special_warning' && { minLevel: text('minLevel') }),
      prefectures: prefectures as number[],
      target,
      affectedBy: (text('affectedBy') || 'work') as Body['affectedBy'],
      ...(target === 'departments' && { departmentIds }),
      templateId: text('templateId'),
      holdMinutes: Number(text('holdMinutes') || 0),
      suppressHours: Number(text('suppressHours') || 6),
      includeDrillTelegrams: f.get('includeDrillTelegrams') === 'on',
      enabled: rule?.enabled ?? true,
      ...(target === 'affected' && { locationCheckMinutes: text('locationCheckMinutes') ? Number(text('locationCheckMinutes')) : null }),
    });
  }
  const id = (name: string) => `rule-${rule?.id ?? 'new'}-${name}`;
  return (
    <form className="stack rule-form" onSubmit={submit}>
      <div className="grid2">
        <Field id={id('name')} label={t('ruleName')}>
          <input id={id('name')} name="name" required maxLength={100} defaultValue={rule?.name} />
        </Field>
        <Field id={id('kind')} label={t('kind')}>
          <select id={id('kind')} value={kind} onChange={(e) => setKind(e.target.value as Body['kind'])}>
            <option value="earthquake">{t('kindEarthquake')}</option>
            <option value="tsunami">{t('kindTsunami')}</option>
            <option value="special_warning">{t('kindSpecial')}</option>
          </select>
        </Field>
        {kind !== 'special_warning' && (
          <Field id={id('minLevel')} label={t('minLevel')}>
            <select id={id('minLevel')} name="minLevel" defaultValue={rule?.minLevel ?? (kind === 'earthquake' ? '5-' : 'warning')} key={kind}>
              {LEVELS[kind]!.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id={id('prefectures')} label={t('rulePrefectures')}>
          <input id={id('prefectures')} name="prefectures" defaultValue={rule?.prefectures.join('、')} placeholder="東京都、神奈川県" />
        </Field>
        <Field id={id('target')} label={t('targets')}>
          <select id={id('target')} value={target} onChange={(e) => setTarget(e.target.value as Body['target'])}>
            <option value="affected">{t('targetAffected')}</option>
            <option value="everyone">{t('everyone')}</option>
            <option value="departments">{t('departments')}</option>
          </select>
        </Field>
        {target === 'affected' && (
          <Field id={id('affectedBy')} label={t('affectedBy')}>
            <select id={id('affectedBy')} name="affectedBy" defaultValue={rule?.affectedBy ?? 'work'}>
              <option value="work">{t('byWork')}</option>
              <option value="home">{t('byHome')}</option>
              <option value="either">{t('byEither')}</option>
            </select>
          </Field>
        )}
        <Field id={id('templateId')} label={t('template')}>
          <select id={id('templateId')} name="templateId" defaultValue={rule?.templateId ?? 'preset:earthquake'}>
            {templates.data?.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('holdMinutes')} label={t('holdMinutes')}>
          <input id={id('holdMinutes')} name="holdMinutes" type="number" min={0} max={30} defaultValue={rule?.holdMinutes ?? 0} />
        </Field>
        <Field id={id('suppressHours')} label={t('suppressHours')}>
          <input id={id('suppressHours')} name="suppressHours" type="number" min={0} max={72} defaultValue={rule?.suppressHours ?? 6} />
        </Field>
        {target === 'affected' && (
          <Field id={id('locationCheckMinutes')} label={t('locationCheckMinutes')}>
            <input
              id={id('locationCheckMinutes')}
              name="locationCheckMinutes"
              type="number"
              min={5}
              max={1440}
              defaultValue={rule?.locationCheckMinutes ?? ''}
            />
          </Field>
        )}
      </div>
      {target === 'departments' && <DepartmentPicker selected={departmentIds} onChange={setDepartmentIds} />}
      <label className="choice">
        <input type="checkbox" name="includeDrillTelegrams" defaultChecked={rule?.includeDrillTelegrams ?? false} /> {t('includeDrills')}
      </label>
      <ErrorBox error={save.error ?? templates.error} />
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
