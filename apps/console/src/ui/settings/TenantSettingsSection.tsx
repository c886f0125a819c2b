import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox } from '../ErrorBox';

export function TenantSettingsSection() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => call(() => api.GET('/v1/settings')) });
  const save = useMutation({
    mutationFn: (body: Schemas['UpdateTenantSettingsDto']) => call(() => api.PATCH('/v1/settings', { body })),
    // The switch moves at once; the refetch after the answer puts it back if the change was refused.
    onMutate: (body) => queries.setQueryData<Schemas['TenantSettingsView']>(['settings'], (old) => old && { ...old, ...body }),
    onSettled: () => queries.invalidateQueries({ queryKey: ['settings'] }),
  });
  const s = settings.data;
  return (
    <section className="card" aria-labelledby="tenant-settings">
      <h2 id="tenant-settings">{t('tenantSettings')}</h2>
      <ErrorBox error={settings.error ?? save.error} />
      {s && (
        <>
          <label className="choice">
            <input type="checkbox" checked={s.headsSeeContacts} onChange={(e) => save.mutate({ headsSeeContacts: e.target.checked })} />
            {t('headsSeeContacts')}
          </label>
          <label className="choice">
            <input type="checkbox" checked={s.showLineProfileToMaintainers} onChange={(e) => save.mutate({ showLineProfileToMaintainers: e.target.checked })} />
            {t('showLineProfile')}
          </label>
        </>
      )}
    </section>
  );
}
