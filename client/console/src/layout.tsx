import { Button, Heading, SkipLink } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { post, setCsrfToken } from './api';
import { PAGES } from './menu';
import { useLanguage, useText, type Texts } from './i18n';
import { ME_KEY, useMe } from './session';
import { ROLE_NAMES } from './words';

const TEXT: Texts<{
  title: string;
  skip: string;
  nav: Record<(typeof PAGES)[number]['nav'], string>;
  navLabel: string;
  signOut: string;
  me: string;
}> = {
  nn: {
    title: 'Oppfølgingstenesta',
    skip: 'Hopp til innhaldet',
    nav: {
      cases: 'Saker',
      calls: 'Ringjeliste',
      inbox: 'Svar som ventar',
      letters: 'Brev',
      vigo: 'Tilbake til VIGO',
      worklist: 'Fristar',
      overdue: 'Over fristen',
      overview: 'Oversikt',
      operator: 'Operatør',
    },
    navLabel: 'Hovudmeny',
    signOut: 'Logg ut',
    me: 'Meg',
  },
  nb: {
    title: 'Oppfølgingstjenesten',
    skip: 'Hopp til innholdet',
    nav: {
      cases: 'Saker',
      calls: 'Ringeliste',
      inbox: 'Svar som venter',
      letters: 'Brev',
      vigo: 'Tilbake til VIGO',
      worklist: 'Frister',
      overdue: 'Over fristen',
      overview: 'Oversikt',
      operator: 'Operatør',
    },
    navLabel: 'Hovedmeny',
    signOut: 'Logg ut',
    me: 'Meg',
  },
};

/** The frame of every page behind sign-in: a skip link, the title, the menu of what this role may do, who is signed in. */
export function Layout() {
  const me = useMe();
  const t = useText(TEXT);
  const lang = useLanguage();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => post('/auth/sign-out'),
    onSettled: () => {
      setCsrfToken(undefined);
      queryClient.clear();
      queryClient.setQueryData(ME_KEY, null);
      void navigate('/logg-inn', { replace: true });
    },
  });
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // A new page moves focus to its content, so a screen reader starts there and keyboard users do not tab through the menu again.
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  const pages = PAGES.filter((p) => me.allowedActions.includes(p.action));
  return (
    <>
      <SkipLink href="#main">{t.skip}</SkipLink>
      <header className="ot-header">
        <Heading level={1} data-size="sm" className="ot-header__title">
          {t.title}
        </Heading>
        <nav className="ot-nav" aria-label={t.navLabel}>
          <ul>
            {pages.map((p) => (
              <li key={p.path}>
                <NavLink to={p.path} className="ds-link">
                  {t.nav[p.nav]}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ot-user">
          <NavLink to="/meg" className="ds-link">
            {me.displayName} ({ROLE_NAMES[lang][me.role]})
          </NavLink>
          <Button variant="secondary" data-size="sm" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            {t.signOut}
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="ot-main">
        <Outlet />
      </main>
    </>
  );
}
