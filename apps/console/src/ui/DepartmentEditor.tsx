import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { DepartmentOptions } from './DepartmentPicker';
import { ErrorBox, Field } from './ErrorBox';

type Department = Schemas['DepartmentView'];

/** The department tree: add a department (top level or under another), rename, move, delete an empty one. */
export function DepartmentEditor() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(() => api.GET('/v1/departments')) });
  const [editing, setEditing] = useState<Department | null>(null);
  const refresh = () => void queries.invalidateQueries({ queryKey: ['departments'] });
  const save = useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Schemas['CreateDepartmentDto'] }) =>
      id
        ? call(() => api.PATCH('/v1/departments/{id}', { params: { path: { id } }, body: body as Schemas['UpdateDepartmentDto'] }))
        : call(() => api.POST('/v1/departments', { body })),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => call(() => api.DELETE('/v1/departments/{id}', { params: { path: { id } } })), onSuccess: refresh });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const pref = String(f.get('prefecture') ?? '').trim();
    save.mutate({
      id: editing?.id,
      body: {
        code: String(f.get('code')),
        name: String(f.get('name')),
        parentId: String(f.get('parentId')) || undefined,
        ...(pref && { prefecture: (/^\d+$/.test(pref) ? Number(pref) : pref) as number }),
      },
    });
  }
  return (
    <section className="card" aria-labelledby="departments-editor">
      <h2 id="departments-editor">{t('departmentTree')}</h2>
      <ErrorBox error={departments.error ?? save.error ?? remove.error} />
      <ul className="plain">
        {departments.data?.map((d) => (
          <li key={d.id} className="row wrap" style={{ paddingLeft: `${(d.depth - 1) * 20}px` }}>
            <span>
              {d.name} <span className="muted">{d.code}</span> <span className="muted">{t('people', { n: d.headcount ?? 0 })}</span>
            </span>
            <span className="row">
              <button type="button" onClick={() => setEditing(d)} aria-label={`${t('edit')}: ${d.name}`}>
                {t('edit')}
              </button>
              <button
                type="button"
                className="danger"
                aria-label={`${t('delete')}: ${d.name}`}
                onClick={() => window.confirm(t('deleteConfirm')) && remove.mutate(d.id)}
              >
                {t('delete')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={submit} key={editing?.id ?? 'new'}>
        <h3>{editing ? `${t('edit')}: ${editing.name}` : t('addDepartment')}</h3>
        <div className="grid2">
          <Field id="dept-code" label={t('departmentCode')}>
            <input id="dept-code" name="code" required defaultValue={editing?.code} />
          </Field>
          <Field id="dept-name" label={t('departmentName')}>
            <input id="dept-name" name="name" required defaultValue={editing?.name} />
          </Field>
          <Field id="dept-parent" label={t('parentDepartment')}>
            <select id="dept-parent" name="parentId" defaultValue={editing?.parentId ?? ''}>
              <option value="">{t('topLevel')}</option>
              {/* Not under itself: a department cannot move into its own subtree. */}
              <DepartmentOptions departments={departments.data?.filter((d) => !editing || !d.path.includes(editing.id))} />
            </select>
          </Field>
          <Field id="dept-pref" label={t('departmentPrefecture')}>
            <input id="dept-pref" name="prefecture" defaultValue={editing?.prefecture ?? ''} placeholder="東京都" />
          </Field>
        </div>
        <div className="row wrap">
          <button type="submit" className="primary" disabled={save.isPending}>
            {t('save')}
          </button>
          {editing && (
            <button type="button" onClick={() => setEditing(null)}>
              {t('back')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
