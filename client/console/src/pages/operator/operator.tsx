import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { Navigate, NavLink, Route, Routes, useSearchParams } from 'react-router';
import type { Action } from '../../../../../domain/access-policy';
import { useText, type Texts } from '../../i18n';
import { useMe } from '../../session';
import { NotFound } from '../not-found';
import { CalendarTab } from './calendar-tab';
import { SCHOOL_YEAR_PARAM, schoolYearOf } from '../../school-year';
import { CrosscheckTab } from './crosscheck-tab';
import { ImportTab } from './import-tab';
import { SmsTab } from './sms-tab';
import { UsersTab } from './users-tab';
import './operator.css';

/** The Operator page's parts, each a path of its own (a real link) and the action that lets a role use it. */
const TABS = [
  { path: 'import', action: 'cohort.import', name: 'import' },
  { path: 'kalender', action: 'calendar.read', name: 'calendar' },
  { path: 'sms', action: 'sms.campaign', name: 'sms' },
  { path: 'krysssjekk', action: 'crosscheck.run', name: 'crosscheck' },
  { path: 'brukarar', action: 'users.manage', name: 'users' },
] as const satisfies readonly { path: string; action: Action; name: string }[];

const TEXT: Texts<{ heading: string; intro: string; menu: string; tabs: Record<(typeof TABS)[number]['name'], string> }> = {
  nn: {
    heading: 'Operatør',
    intro: 'Årets import, kampanjekalenderen, SMS-utsendinga, krysssjekk mot inntakskontoret sine lister og brukarane.',
    menu: 'Operatørsider',
    tabs: { import: 'Import', calendar: 'Kalender', sms: 'SMS', crosscheck: 'Krysssjekk', users: 'Brukarar' },
  },
  nb: {
    heading: 'Operatør',
    intro: 'Årets import, kampanjekalenderen, SMS-utsendelsen, krysssjekk mot inntakskontorets lister og brukerne.',
    menu: 'Operatørsider',
    tabs: { import: 'Import', calendar: 'Kalender', sms: 'SMS', crosscheck: 'Krysssjekk', users: 'Brukere' },
  },
};

/** The operator's mass steps, one tab (a nested route) each: /operator/import, /kalender, /sms, /krysssjekk, /brukarar. */
export function Operator() {
  const t = useText(TEXT);
  const me = useMe();
  // One school year for every tab, in the address (?aar=2026): kept while moving between the tabs and by a reload.
  const [params, setParams] = useSearchParams();
  const schoolYear = params.get(SCHOOL_YEAR_PARAM) ?? String(schoolYearOf(null));
  const setSchoolYear = (y: string) =>
    setParams(
      (p) => {
        p.set(SCHOOL_YEAR_PARAM, y);
        return p;
      },
      { replace: true },
    );
  const year = { schoolYear, setSchoolYear };
  const tabs = TABS.filter((tab) => me.allowedActions.includes(tab.action));
  const element = {
    import: <ImportTab {...year} />,
    calendar: <CalendarTab {...year} />,
    sms: <SmsTab {...year} />,
    crosscheck: <CrosscheckTab {...year} />,
    users: <UsersTab />,
  };
  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.intro}</Paragraph>
      <nav aria-label={t.menu} className="ot-tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={{ pathname: `/operator/${tab.path}`, search: `?aar=${encodeURIComponent(schoolYear)}` }} className="ds-link">
                {t.tabs[tab.name]}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        {tabs[0] && <Route index element={<Navigate to={tabs[0].path} replace />} />}
        {tabs.map((tab) => (
          <Route key={tab.path} path={tab.path} element={element[tab.name]} />
        ))}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </div>
  );
}
