import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';
import type { Session, User } from '../api/types.ts';

interface AuthState {
  user: User | null;
  /** True until the first /api/auth/me answer arrives. */
  checking: boolean;
  /** Set when the server could not be asked at all (not a 401). */
  startupError: string | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  retry: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);
  const [startupError, setStartupError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setUser(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(signedOut);
    return () => setUnauthorizedHandler(null);
  }, [signedOut]);

  useEffect(() => {
    let cancelled = false;
    setChecking(true);
    api.get<Session>('/api/auth/me').then(
      (session) => {
        if (cancelled) return;
        setCsrfToken(session.csrfToken);
        setUser(session.user);
        setStartupError(null);
        setChecking(false);
      },
      (error: unknown) => {
        if (cancelled) return;
        if (!(error instanceof ApiError && error.status === 401)) {
          setStartupError(error instanceof Error ? error.message : String(error));
        }
        setChecking(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  const login = useCallback(async (username: string, password: string) => {
    const session = await api.post<Session>('/api/auth/login', { username, password });
    setCsrfToken(session.csrfToken);
    setStartupError(null);
    setUser(session.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      signedOut();
    }
  }, [signedOut]);

  const retry = useCallback(() => setAttempt((value) => value + 1), []);
  const value = useMemo(
    () => ({ user, checking, startupError, login, logout, retry }),
    [user, checking, startupError, login, logout, retry],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
