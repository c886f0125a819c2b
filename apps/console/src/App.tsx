import { lazy, Suspense, type ReactNode } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import type { Role } from './api/client';
import { useI18n } from './i18n';
import { LoginPage } from './pages/LoginPage';
import { HomePage } from './pages/HomePage';
import { useSession } from './session';
import { Layout } from './ui/Layout';
import { Loading } from './ui/ErrorBox';

// The screens past Home load on demand: login and home stay small on a phone in a crisis.
const LaunchPage = lazy(() => import('./pages/LaunchPage'));
const BroadcastPage = lazy(() => import('./pages/BroadcastPage'));
const DirectoryPage = lazy(() => import('./pages/DirectoryPage'));
const RulesPage = lazy(() => import('./pages/RulesPage'));
const InboxPage = lazy(() => import('./pages/InboxPage'));
const SettingsPage = lazy(() => import('./pages/SettingsPage'));

export function App() {
  const { user, restoring } = useSession();
  if (restoring) return <Loading />;
  return (
    <Router base="/console">
      {!user ? (
        <Switch>
          <Route path="/login" component={LoginPage} />
          <Route>
            <Redirect to="/login" replace />
          </Route>
        </Switch>
      ) : (
        <Layout>
          <Suspense fallback={<Loading />}>
            <Switch>
              <Route path="/login">
                <Redirect to={user.role === 'maintainer' ? '/directory' : '/'} replace />
              </Route>
              <Route path="/">{user.role === 'maintainer' ? <Redirect key="maintainer-home" to="/directory" replace /> : <HomePage />}</Route>
              <Route path="/launch">{allow(user.role, ['admin'], <LaunchPage />)}</Route>
              <Route path="/broadcasts/:id">{(params) => allow(user.role, ['admin', 'department_head'], <BroadcastPage id={params.id} />)}</Route>
              <Route path="/directory">{allow(user.role, ['admin', 'maintainer'], <DirectoryPage />)}</Route>
              <Route path="/rules">{allow(user.role, ['admin'], <RulesPage />)}</Route>
              <Route path="/inbox">{allow(user.role, ['admin'], <InboxPage />)}</Route>
              <Route path="/settings">{allow(user.role, ['admin'], <SettingsPage />)}</Route>
              <Route>
                <NotFound />
              </Route>
            </Switch>
          </Suspense>
        </Layout>
      )}
    </Router>
  );
}

/** Screens the API would refuse the role are not offered: the page says so instead of failing later. */
function allow(role: Role, roles: Role[], page: ReactNode): ReactNode {
  return roles.includes(role) ? page : <Forbidden />;
}

function Forbidden() {
  const { t } = useI18n();
  return (
    <p role="alert" className="error">
      {t('forbidden')}
    </p>
  );
}

function NotFound() {
  const { t } = useI18n();
  return <p>{t('notFound')}</p>;
}
