import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import type { Role } from '../api/client';

const NAV: { href: string; key: MessageKey; roles: Role[] }[] = [
  { href: '/', key: 'home', roles: ['admin', 'department_head'] },
  { href: '/launch', key: 'launch', roles: ['admin'] },
  { href: '/directory', key: 'directory', roles: ['admin', 'maintainer'] },
  { href: '/rules', key: 'rules', roles: ['admin'] },
  { href: '/inbox', key: 'inbox', roles: ['admin'] },
  { href: '/settings', key: 'settings', roles: ['admin'] },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { user, logout } = useSession();
  const [location] = useLocation();
  return (
    <>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav aria-label="main">
          {NAV.filter((n) => user && n.roles.includes(user.role)).map((n) => (
            <Link key={n.href} href={n.href} className={location === n.href ? 'active' : ''} aria-current={location === n.href ? 'page' : undefined}>
              {t(n.key)}
            </Link>
          ))}
        </nav>
        <span className="who">{user?.name}</span>
        <button type="button" className="link" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja', user?.id)} lang={lang === 'ja' ? 'en' : 'ja'}>
          {t('language')}
        </button>
        <button type="button" className="link" onClick={() => void logout('logout')}>
          {t('logout')}
        </button>
      </header>
      <main>{children}</main>
    </>
  );
}
