import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { useI18n } from '../i18n';
import { TreeToggle } from './TreeToggle';
import { ErrorBox, Loading } from './ErrorBox';

type Department = Schemas['DepartmentView'];

/** The department tree with head counts; children are rendered only when their parent is open. */
export function DepartmentPicker({ selected, onChange }: { selected: string[]; onChange(ids: string[]): void }) {
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(() => api.GET('/v1/departments')) });
  const children = useMemo(() => {
    const map = new Map<string | null, Department[]>();
    for (const d of departments.data ?? []) map.set(d.parentId ?? null, [...(map.get(d.parentId ?? null) ?? []), d]);
    return map;
  }, [departments.data]);
  if (departments.isPending) return <Loading />;
  return (
    <div className="tree" role="group">
      <ErrorBox error={departments.error} />
      <Branch parent={null} tree={children} selected={selected} onChange={onChange} />
    </div>
  );
}

function Branch({
  parent,
  tree,
  selected,
  onChange,
}: {
  parent: string | null;
  tree: Map<string | null, Department[]>;
  selected: string[];
  onChange(ids: string[]): void;
}) {
  return (
    <ul className="plain">
      {(tree.get(parent) ?? []).map((d) => (
        <Node key={d.id} department={d} tree={tree} selected={selected} onChange={onChange} />
      ))}
    </ul>
  );
}

function Node({
  department: d,
  tree,
  selected,
  onChange,
}: {
  department: Department;
  tree: Map<string | null, Department[]>;
  selected: string[];
  onChange(ids: string[]): void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(d.depth === 1);
  const hasChildren = (tree.get(d.id)?.length ?? 0) > 0;
  return (
    <li>
      <span className="tree-row">
        <TreeToggle name={d.name} open={open} hasChildren={hasChildren} onToggle={() => setOpen(!open)} />
        <label className="choice">
          <input
            type="checkbox"
            checked={selected.includes(d.id)}
            onChange={(e) => onChange(e.target.checked ? [...selected, d.id] : selected.filter((x) => x !== d.id))}
          />{' '}
          {d.name} <span className="muted">{t('people', { n: d.headcount ?? 0 })}</span>
        </label>
      </span>
      {open && hasChildren && <Branch parent={d.id} tree={tree} selected={selected} onChange={onChange} />}
    </li>
  );
}

/** A department <select>'s options, indented by depth (full-width spaces, which every font shows). */
export function DepartmentOptions({ departments }: { departments: Department[] | undefined }) {
  return (
    <>
      {departments?.map((d) => (
        <option key={d.id} value={d.id}>
          {'　'.repeat(d.depth - 1)}
          {d.name}
        </option>
      ))}
    </>
  );
}
