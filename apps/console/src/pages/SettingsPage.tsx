import { ApiKeysSection } from '../ui/settings/ApiKeysSection';
import { BillingSection } from '../ui/settings/BillingSection';
import { ChannelsSection } from '../ui/settings/ChannelsSection';
import { TenantSettingsSection } from '../ui/settings/TenantSettingsSection';
import { UsersSection } from '../ui/settings/UsersSection';
import { useI18n } from '../i18n';

/** 設定 (admins): users and their scopes, channels, API keys, the tenant's switches, billing. */
export default function SettingsPage() {
  const { t } = useI18n();
  return (
    <div className="stack">
      <h1>{t('settings')}</h1>
      <UsersSection />
      <ChannelsSection />
      <ApiKeysSection />
      <TenantSettingsSection />
      <BillingSection />
    </div>
  );
}
