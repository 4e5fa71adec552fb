import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { Action } from '../../../domain/access-policy';
import type { Me, MeAnswer } from '../../../schemas/api/auth';
import { ApiError, get, setCsrfToken, SIGNED_OUT_EVENT } from './api';

/** Who is signed in, as GET /auth/me tells it. */
export type { Me };

export const ME_KEY = ['auth', 'me'] as const;

/** The signed-in user, or undefined while asking; null once the API says nobody is signed in. */
export function useMeQuery() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        const answer = await get<MeAnswer>('/auth/me');
        setCsrfToken(answer.csrfToken);
        return answer.user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

const MeContext = createContext<Me | undefined>(undefined);

/** The signed-in user, inside RequireSignIn. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside RequireSignIn');
  return me;
}

export function useMay(action: Action): boolean {
  return useMe().allowedActions.includes(action);
}

/** The sign-in page's path, with where to go back to afterwards. */
export function signInPath(returnTo: string): string {
  return `/logg-inn?til=${encodeURIComponent(returnTo)}`;
}

/**
 * The pages behind sign-in: without a session the browser goes to sign-in and then back to the page it
 * asked for; a session that ends on the way (the API answers 401) does the same.
 */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const me = useMeQuery();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const here = location.pathname + location.search;

  useEffect(() => {
    const onSignedOut = () => {
      queryClient.setQueryData(ME_KEY, null);
      void navigate(signInPath(window.location.pathname.replace(/^\/konsoll/, '') + window.location.search), { replace: true });
    };
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, [navigate, queryClient]);

  if (me.isPending) return null;
  if (me.isError) throw me.error;
  if (!me.data) return <Navigate to={signInPath(here)} replace />;
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>;
}
