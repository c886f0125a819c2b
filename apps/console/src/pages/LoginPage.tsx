import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { useSession } from '../session';

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { login, endReason } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await login({ tenant: String(form.get('tenant')), email: String(form.get('email')), password: String(form.get('password')) });
    } catch (error) {
      setProblem(describe(error));
    } finally {
      setBusy(false);
    }
  }

  function describe(error: unknown): string {
    if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
    if (error.status === 429) {
      const seconds = error.retryAfter ?? 60;
      const wait = seconds >= 60 ? `${Math.ceil(seconds / 60)}${lang === 'ja' ? '分' : ' min'}` : `${seconds}${lang === 'ja' ? '秒' : ' s'}`;
      return t('throttled', { wait });
    }
    if (error.code === 'tenant_suspended') return `${t('suspended')} ${error.message}`;
    if (error.status === 401) return t('wrongCredentials');
    if (error.fields.length) return error.fields.map((f) => `${f.field}: ${f.reason}`).join(' / ');
    return error.message;
  }

  return (
    <main className="login">
      <h1>{t('appName')}</h1>
      {endReason && !problem && (
        <p role="status" className="notice">
          {t(endReason === 'expired' ? 'endedExpired' : 'endedLogout')}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="card stack">
        <label>
          {t('tenant')}
          <input name="tenant" autoComplete="organization" required autoCapitalize="none" inputMode="text" />
        </label>
        <label>
          {t('email')}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
      </form>
      <button type="button" className="link" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')} lang={lang === 'ja' ? 'en' : 'ja'}>
        {t('language')}
      </button>
    </main>
  );
}
