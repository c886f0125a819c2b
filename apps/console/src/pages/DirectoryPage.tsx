import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../api/client';
import { nameOf, useI18n } from '../i18n';
import { DepartmentEditor } from '../ui/DepartmentEditor';
import { DepartmentOptions } from '../ui/DepartmentPicker';
import { EmployeeEditor } from '../ui/EmployeeEditor';
import { ErrorBox, Field, Loading } from '../ui/ErrorBox';

type Report = Schemas['ImportReport'];

export default function DirectoryPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [department, setDepartment] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(() => api.GET('/v1/departments')) });
  const employees = useQuery({
    queryKey: ['employees', q, department],
    queryFn: () => call(() => api.GET('/v1/employees', { params: { query: { limit: 100, ...(q.trim() && { q }), ...(department && { department }) } } })),
  });
  return (
    <div className="stack">
      <h1>{t('directory')}</h1>
      <CsvImport />
      <section className="card" aria-labelledby="employees">
        <h2 id="employees">{t('employeeList')}</h2>
        <div className="row wrap">
          <Field id="directory-search" label={t('search')}>
            <input id="directory-search" type="search" value={q} placeholder={t('searchPlaceholder')} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <Field id="directory-department" label={t('department')}>
            <select id="directory-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
              <option value="">{t('allDepartments')}</option>
              <DepartmentOptions departments={departments.data} />
            </select>
          </Field>
        </div>
        <ErrorBox error={employees.error ?? departments.error} />
        {employees.isPending && <Loading />}
        {employees.data && <p className="muted">{t('total_n', { n: employees.data.total })}</p>}
        <div className="table-scroll" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('code')}</th>
                <th scope="col">{t('name')}</th>
                <th scope="col">{t('department')}</th>
                <th scope="col">{t('contacts')}</th>
                <th scope="col">{t('lineStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {employees.data?.items.map((e) => (
                <tr key={e.id}>
                  <td>{e.code}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(open === e.id ? null : e.id)} aria-expanded={open === e.id}>
                      {e.name}
                    </button>{' '}
                    {e.kana && <span className="muted">{e.kana}</span>}
                  </td>
                  <td>{e.department?.name ?? '—'}</td>
                  <td>
                    {[...(e.emails ?? []), ...(e.mobiles ?? [])].join(' / ')}
                    {'emailBounces' in e && e.emailBounces.length > 0 && (
                      <span className="warning-text" title={e.emailBounces.map((b) => `${b.address}: ${b.reason}`).join('\n')}>
                        {' '}
                        ⚠ {t('emailBounced')}
                      </span>
                    )}
                  </td>
                  <td>{e.line ? nameOf(t, 'lineStatusNames', e.line.status) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {employees.data?.items
          .filter((e) => e.id === open)
          .map((e) => (
            <EmployeeEditor key={e.id} employee={e} onDone={() => setOpen(null)} />
          ))}
      </section>
      <DepartmentEditor />
    </div>
  );
}

/** CSV import: the dry run's report first (every row error with row, column, value and reason), then apply. */
function CsvImport() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) =>
      call(() =>
        api.POST('/v1/employees/import', {
          params: { query: { dryRun } },
          body: file as unknown as string,
          bodySerializer: (body) => body as unknown as BodyInit,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
    onSuccess: (report) => {
      if (report.applied) void queries.invalidateQueries({ queryKey: ['employees'] });
    },
  });
  const report = run.data;
  return (
    <section className="card" aria-labelledby="import">
      <h2 id="import">{t('importCsv')}</h2>
      <Field id="directory-csv" label={t('chooseFile')}>
        <input
          id="directory-csv"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            run.reset();
          }}
        />
      </Field>
      <div className="row">
        <button type="button" className="big" disabled={!file || run.isPending} onClick={() => run.mutate({ dryRun: true })}>
          {t('dryRun')}
        </button>
        <button
          type="button"
          className="primary big"
          disabled={!file || run.isPending || !report?.dryRun || report.errorCount > 0}
          onClick={() => run.mutate({ dryRun: false })}
        >
          {t('apply')}
        </button>
      </div>
      <ErrorBox error={run.error} />
      {report && <ImportReportView report={report} />}
    </section>
  );
}

function ImportReportView({ report }: { report: Report }) {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="import-report">
      {report.applied && (
        <p role="status" className="notice">
          {t('importApplied')}
        </p>
      )}
      <p>
        {t('created')} <strong>{report.created}</strong> · {t('updated')} <strong>{report.updated}</strong> · {t('unchanged')}{' '}
        <strong>{report.unchanged}</strong> · {t('deactivated')} <strong>{report.deactivated}</strong>
      </p>
      {report.errorCount > 0 && (
        <>
          <h3>
            {t('rowErrors')} ({report.errorCount})
          </h3>
          <p role="alert" className="error">
            {t('fixErrors')}
          </p>
          <div className="table-scroll" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('row')}</th>
                  <th scope="col">{t('column')}</th>
                  <th scope="col">{t('value')}</th>
                  <th scope="col">{t('reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row}</td>
                    <td>{e.column ?? '—'}</td>
                    <td>{e.value ?? '—'}</td>
                    <td>{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
