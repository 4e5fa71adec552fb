import { Navigate, Route, Routes } from 'react-router';
import type { Role } from '../../../schemas/roles';
import { LanguageContext, type Language } from './i18n';
import { Layout } from './layout';
import { NotFound } from './pages/not-found';
import { RequireSignIn, useMe, useMeQuery } from './session';
import { SignIn } from './pages/sign-in';
import { MePage } from './pages/me';
import { CaseList } from './pages/cases/list';
import { CaseView } from './pages/cases/view';
import { CallList } from './pages/calls/call-list';
import { SmsInbox } from './pages/sms-inbox/sms-inbox';
import { Letters } from './pages/letters/letters';
import { VigoReturns } from './pages/vigo/vigo-returns';
import { Overview } from './pages/overview/overview';
import { Operator } from './pages/operator/operator';
import { Deadlines } from './pages/deadlines/deadlines';

/** Where each role starts its day. */
const HOME: Record<Role, string> = {
  operator: '/operator',
  superUser: '/saker',
  caseworker: '/saker',
  officeStaff: '/saker',
  leader: '/oversikt',
  smsGateway: '/meg',
};

function Home() {
  return <Navigate to={HOME[useMe().role]} replace />;
}

function storedLanguage(): Language {
  return localStorage.getItem('ot-language') === 'nb' ? 'nb' : 'nn';
}

export function App() {
  const me = useMeQuery();
  // The signed-in user's own choice; before sign-in, the one this browser last used.
  const language = me.data?.language ?? storedLanguage();
  return (
    <LanguageContext.Provider value={language}>
      <Routes>
        <Route path="/logg-inn" element={<SignIn />} />
        <Route
          element={
            <RequireSignIn>
              <Layout />
            </RequireSignIn>
          }
        >
          <Route index element={<Home />} />
          <Route path="/meg" element={<MePage />} />
          <Route path="/saker" element={<CaseList />} />
          <Route path="/saker/:caseId" element={<CaseView />} />
          <Route path="/ringjeliste" element={<CallList />} />
          <Route path="/svar" element={<SmsInbox />} />
          <Route path="/brev" element={<Letters />} />
          <Route path="/vigo" element={<VigoReturns />} />
          <Route path="/frister" element={<Deadlines kind="worklist" />} />
          <Route path="/over-fristen" element={<Deadlines kind="overdue" />} />
          <Route path="/oversikt" element={<Overview />} />
          <Route path="/operator/*" element={<Operator />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </LanguageContext.Provider>
  );
}
