import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, apiGet } from '../api/api-client';
import type { CurrentIdentity, MyOrg, Role } from '../api/api-types';
import { canUse, type Control } from './role-controls';
import { storedToken, storeToken } from './session-storage';

/** Why the session ended, said on the sign-in page. */
export type SignOutReason = 'signed_out' | 'rejected';

export interface Session {
  readonly token: string | null;
  readonly endedBecause: SignOutReason | null;
  signIn(token: string): void;
  signOut(reason: SignOutReason): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(storedToken);
  const [endedBecause, setEndedBecause] = useState<SignOutReason | null>(null);
  const signIn = useCallback((next: string) => {
    storeToken(next);
    setEndedBecause(null);
    setToken(next);
  }, []);
  const signOut = useCallback(
    (reason: SignOutReason) => {
      storeToken(null);
      setToken(null);
      setEndedBecause(reason);
      // Nothing read with the old token may show to whoever signs in next.
      queryClient.clear();
    },
    [queryClient],
  );
  // A 401 on any read means the token stopped working (revoked, expired): back to sign-in, saying so.
  useEffect(
    () =>
      queryClient.getQueryCache().subscribe((event) => {
        const error = event.type === 'updated' && event.action.type === 'error' ? event.action.error : null;
        // After the cache finished dispatching: signOut clears that cache.
        if (error instanceof ApiError && error.status === 401) queueMicrotask(() => signOut('rejected'));
      }),
    [queryClient, signOut],
  );
  const value = useMemo(
    () => ({ token, endedBecause, signIn, signOut }),
    [token, endedBecause, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in session's token; only for pages behind RequireSession. */
export function useToken(): string {
  const { token } = useSession();
  if (token === null) throw new Error('useToken without a session');
  return token;
}

/** Who the token is (GET /auth/me): its kind and its role in each org. */
export function useIdentity() {
  const token = useToken();
  return useQuery({
    queryKey: ['identity', token],
    queryFn: ({ signal }) => apiGet<CurrentIdentity>(token, '/auth/me', signal),
    staleTime: 60_000,
  });
}

/** The caller's orgs with names (GET /orgs/me). */
export function useMyOrgs() {
  const token = useToken();
  return useQuery({
    queryKey: ['my-orgs', token],
    queryFn: ({ signal }) => apiGet<{ items: MyOrg[] }>(token, '/orgs/me', signal).then((a) => a.items),
    staleTime: 60_000,
  });
}

/** The caller's role in the org, from the token's principal; null while unknown. */
export function useOrgRole(orgId: string): Role | null {
  const identity = useIdentity();
  return identity.data?.orgs.find((org) => org.id === orgId)?.role ?? null;
}

/** Renders `children` only for a role that may use `control` in the org. */
export function IfAllowed({
  orgId,
  control,
  children,
}: {
  orgId: string;
  control: Control;
  children: ReactNode;
}) {
  return canUse(useOrgRole(orgId), control) ? <>{children}</> : null;
}
