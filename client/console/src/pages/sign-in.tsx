import { Alert, Button, Heading, Link, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, get, post, setCsrfToken } from '../api';
import { useText, type Texts } from '../i18n';
import type { AuthMethods, SignInAnswer } from '../../../../schemas/api/auth';
import { ME_KEY, useMeQuery } from '../session';

const TEXT: Texts<{
  heading: string;
  intro: string;
  username: string;
  password: string;
  submit: string;
  oidc: string;
  or: string;
  failed: string;
}> = {
  nn: {
    heading: 'Logg inn',
    intro: 'Oppfølgingstenesta: saker, ringjelister, brev og rapportar.',
    username: 'Brukarnamn',
    password: 'Passord',
    submit: 'Logg inn',
    oidc: 'Logg inn med fylkeskommunen sin innlogging',
    or: 'eller med lokal konto:',
    failed: 'Innlogginga gjekk ikkje',
  },
  nb: {
    heading: 'Logg inn',
    intro: 'Oppfølgingstjenesten: saker, ringelister, brev og rapporter.',
    username: 'Brukernavn',
    password: 'Passord',
    submit: 'Logg inn',
    oidc: 'Logg inn med fylkeskommunens innlogging',
    or: 'eller med lokal konto:',
    failed: 'Innloggingen mislyktes',
  },
};

/** Only a path of this console: never another site (an open redirect). */
function safeReturn(to: string | null): string {
  return to && to.startsWith('/') && !to.startsWith('//') ? to : '/';
}

export function SignIn() {
  const t = useText(TEXT);
  const [params] = useSearchParams();
  const returnTo = safeReturn(params.get('til'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMeQuery();
  const methods = useQuery({ queryKey: ['auth', 'methods'], queryFn: () => get<AuthMethods>('/auth/methods') });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => post<SignInAnswer>('/auth/sign-in', { username, password }),
    onSuccess: (answer) => {
      setCsrfToken(answer.csrfToken);
      queryClient.setQueryData(ME_KEY, answer.user);
      void navigate(returnTo, { replace: true });
    },
  });

  if (me.data) return <Navigate to={returnTo} replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  const reasons = signIn.error instanceof ApiError ? signIn.error.fieldReasons() : {};
  return (
    <main id="main" className="ot-main ot-narrow">
      <div className="ot-stack">
        <Heading level={1} data-size="lg">
          {t.heading}
        </Heading>
        <Paragraph>{t.intro}</Paragraph>
        {methods.data?.oidc && (
          <>
            <Link href={`/auth/oidc/login?returnTo=${encodeURIComponent(`/konsoll${returnTo}`)}`}>{t.oidc}</Link>
            <Paragraph>{t.or}</Paragraph>
          </>
        )}
        <form onSubmit={submit} className="ot-stack" noValidate>
          <Textfield
            label={t.username}
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={reasons.username}
            required
          />
          <Textfield
            label={t.password}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={reasons.password}
            required
          />
          {signIn.error && !reasons.username && !reasons.password && (
            <Alert data-color="danger" role="alert">
              <Heading level={2} data-size="xs">
                {t.failed}
              </Heading>
              <Paragraph>{signIn.error.message}</Paragraph>
            </Alert>
          )}
          <div>
            <Button type="submit" loading={signIn.isPending}>
              {t.submit}
            </Button>
          </div>
        </form>
      </div>
    </main>
  );
}
