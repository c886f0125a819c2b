import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setAccessToken, setUnauthorizedHandler, toApiError, type Schemas } from './api/client';

export type SessionUser = Schemas['SessionUserView'];
export type EndReason = 'logout' | 'expired';

interface SessionState {
  user: SessionUser | null;
  /** true until the first refresh attempt (a reload keeps the session through its cookie) has answered. */
  restoring: boolean;
  endReason: EndReason | null;
  login(input: Schemas['LoginDto']): Promise<void>;
  logout(reason?: EndReason): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/**
 * The console's session: the access token in memory, the refresh token in an HttpOnly cookie the
 * browser sends to /v1/auth/console only. The access token is renewed a minute before it expires;
 * a refresh that fails ends the session and the login page says why.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [user, setUser] = useState<SessionUser | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [endReason, setEndReason] = useState<EndReason | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshing = useRef<Promise<boolean> | null>(null);
  // Read by timers and handlers created before the latest render: refs, not captured state.
  const signedIn = useRef(false);
  const refreshRef = useRef<() => Promise<boolean>>(async () => false);

  const adopt = useCallback((session: Schemas['ConsoleSessionView']) => {
    setAccessToken(session.accessToken);
    signedIn.current = true;
    setUser(session.user);
    setEndReason(null);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refreshRef.current(), Math.max(5, session.expiresIn - 60) * 1000);
  }, []);

  const end = useCallback(
    (reason: EndReason | null) => {
      clearTimeout(timer.current);
      setAccessToken(null);
      signedIn.current = false;
      setUser(null);
      setEndReason(reason);
      queries.clear();
    },
    [queries],
  );

  const refresh = useCallback((): Promise<boolean> => {
    refreshing.current ??= api
      .POST('/v1/auth/console/refresh')
      .then(({ data }) => {
        if (data) adopt(data);
        else end(signedIn.current ? 'expired' : null);
        return Boolean(data);
      })
      .catch(() => false)
      .finally(() => (refreshing.current = null));
    return refreshing.current;
  }, [adopt, end]);
  refreshRef.current = refresh;

  useEffect(() => {
    setUnauthorizedHandler(() => refresh());
    return () => setUnauthorizedHandler(null);
  }, [refresh, end]);

  useEffect(() => {
    void refresh().finally(() => setRestoring(false));
    return () => clearTimeout(timer.current);
  }, []);

  const login = useCallback(
    async (input: Schemas['LoginDto']) => {
      const { data, error, response } = await api.POST('/v1/auth/console/login', { body: input });
      if (!data) throw await toApiError(response, error);
      adopt(data);
    },
    [adopt],
  );

  const logout = useCallback(
    async (reason: EndReason = 'logout') => {
      await api.POST('/v1/auth/console/logout').catch(() => undefined);
      end(reason);
    },
    [end],
  );

  const value = useMemo(() => ({ user, restoring, endReason, login, logout }), [user, restoring, endReason, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
