import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n';
import { ErrorBox } from '../ErrorBox';

type Switches = Schemas['UpdateTenantSettingsDto'];

export function TenantSettingsSection() {
  const { t } = useI18n();
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: ['settings'], queryFn: () => call(() => api.GET('/v1/settings')) });
  // The switch moves in the same render as the click (React state, not the query cache, which notifies later);
  // once the server has answered and the settings are read again, the server's value shows, so a refused change goes back.
  const [moved, setMoved] = useState<Switches>({});
  const save = useMutation({
    mutationFn: (body: Switches) => call(() => api.PATCH('/v1/settings', { body })),
    onSettled: async () => {
      await queries.invalidateQueries({ queryKey: ['settings'] });
      setMoved({});
    },
  });
  const flip = (body: Switches) => {
    setMoved((m) => ({ ...m, ...body }));
    save.mutate(body);
  };
  const s = settings.data && { ...settings.data, ...moved };
  return (
    <section className="card" aria-labelledby="tenant-settings">
      <h2 id="tenant-settings">{t('tenantSettings')}</h2>
      <ErrorBox error={settings.error ?? save.error} />
      {s && (
        <>
          <label className="choice">
            <input type="checkbox" checked={s.headsSeeContacts} onChange={(e) => flip({ headsSeeContacts: e.target.checked })} />
            {t('headsSeeContacts')}
          </label>
          <label className="choice">
            <input type="checkbox" checked={s.showLineProfileToMaintainers} onChange={(e) => flip({ showLineProfileToMaintainers: e.target.checked })} />
            {t('showLineProfile')}
          </label>
        </>
      )}
    </section>
  );
}
