import type { FastifyInstance } from 'fastify';
import { submitImport } from '../../client/use-cases/cohort-import';
import { addUser } from '../../client/use-cases/users';
import { caseIdOf } from '../../domain/case-id';
import { isCountyWide, mayTake, POLICY, type Action } from '../../domain/access-policy';
import { ROLES, type Role } from '../../schemas/roles';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';

/**
 * Who may see and do what, against the real API on the real stack: for every endpoint of the OpenAPI
 * description, every role, asked about its own unit and about another: 2xx-or-refusal, 403 or 404 as the
 * policy table says. Sign-in with a local account, lock-out, expired sessions and revoked tokens, the
 * case version (If-Match), and the audit rows the requests left.
 */
const YEAR = 2048;
const OWN = '12250';
const OTHER = '12256';
const nextId = idFactory();
// Born in 2027: in the target group of school year 2048 (its age limit is 24).
const ids = { own: nextId('2027-03-01'), other: nextId('2027-04-02'), race: nextId('2027-05-03'), nobody: nextId('2027-06-04') };

let stack: TestStack;
let api: FastifyInstance;
let base: string;
const caseOf = (k: keyof typeof ids) => caseIdOf(ids[k], YEAR, stack.config.caseIdKey);

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
  ({ app: api, url: base } = await startApi(stack));
  const file = transferFile([
    { id: ids.own, first: 'Åse', last: 'Eige', unit: OWN, os: 'OSON', mobile: '+4791111111' },
    { id: ids.other, first: 'Olav', last: 'Annan', unit: OTHER, os: 'OSON', mobile: '+4792222222' },
    { id: ids.race, first: 'Rita', last: 'Kappløp', unit: OWN, os: 'OSON', mobile: '+4793333333' },
  ]);
  await (await submitImport(stack, { fileName: 'access.csv', content: file, schoolYear: YEAR, strict: true })).result();
});
afterAll(async () => {
  await api.close();
  await stack.close();
});

/** A request of each endpoint the policy should decide, about `unit`'s case (or unit). */
interface Sample {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function sample(key: string, unit: 'own' | 'other'): Sample | undefined {
  const id = unit === 'own' ? caseOf('own') : caseOf('other');
  const u = unit === 'own' ? OWN : OTHER;
  const today = new Date().toISOString().slice(0, 10);
  const table: Record<string, Sample> = {
    'GET /cases': { url: `/cases?schoolYear=${YEAR}&unit=${u}` },
    'POST /cases/lookup': { url: '/cases/lookup', body: { nationalId: unit === 'own' ? ids.own : ids.other, schoolYear: YEAR } },
    'GET /cases/{caseId}': { url: `/cases/${id}` },
    'POST /cases/{caseId}/outcome': { url: `/cases/${id}/outcome`, body: { status: 'OTOV', channel: 'phone' } },
    'POST /cases/{caseId}/reply': { url: `/cases/${id}/reply`, body: { channel: 'phone' } },
    'POST /cases/{caseId}/claim': { url: `/cases/${id}/claim`, body: {} },
    'POST /cases/{caseId}/returned-letter': { url: `/cases/${id}/returned-letter`, body: {} },
    'POST /cases/{caseId}/contact': { url: `/cases/${id}/contact`, body: { mobile: '+4794444444', source: 'youth' } },
    'POST /cases/{caseId}/call': { url: `/cases/${id}/call`, body: { result: 'notReached' } },
    'POST /cases/{caseId}/plan': { url: `/cases/${id}/plan`, body: { goal: 'fullføre vg2', measures: [], reviewDates: [] } },
    'POST /cases/{caseId}/review': { url: `/cases/${id}/review`, body: { note: 'møttest' } },
    'GET /cases/{caseId}/plan': { url: `/cases/${id}/plan` },
    'GET /worklist/{schoolYear}': { url: `/worklist/${YEAR}?unit=${u}` },
    'GET /overdue/{schoolYear}': { url: `/overdue/${YEAR}?unit=${u}` },
    'GET /units': { url: '/units' },
    'GET /calls': { url: `/calls?schoolYear=${YEAR}&unit=${u}` },
    // Refused by the handler, never applied: a staff change here would change the unit's call sharing for every test of the run.
    'POST /units/{unit}/staff': { url: `/units/${u}/staff`, body: { name: ' ' } },
    'POST /units/{unit}/staff/remove': { url: `/units/${u}/staff/remove`, body: { name: 'Ingen Slik' } },
    'POST /calls/{caseId}/reassign': { url: `/calls/${id}/reassign`, body: { schoolYear: YEAR, to: 'Ingen Slik' } },
    'POST /calls/reassign': { url: '/calls/reassign', body: { schoolYear: YEAR, unit: u, from: 'Ingen', to: 'Ingen Slik' } },
    'GET /sms/inbox': { url: '/sms/inbox' },
    'POST /sms/inbox/{inboundId}/assign': { url: '/sms/inbox/none/assign', body: { caseId: id } },
    'POST /sms/inbound': {
      url: '/sms/inbound',
      body: { source: '+4790000000', destination: '2027', userData: 'hei', messageId: `m-${Math.random()}` },
    },
    'POST /sms/delivery-report': { url: '/sms/delivery-report', body: { id: 'x', refId: 'nope:sms1', resultCode: 1001 } },
    'GET /counters/{schoolYear}': { url: `/counters/${YEAR}` },
    'GET /reports/{schoolYear}': { url: `/reports/${YEAR}?asOf=${YEAR}-09-01` },
    'GET /reports/{schoolYear}/stored': { url: `/reports/${YEAR}/stored` },
    'GET /reports/{schoolYear}/{report}/{format}': { url: `/reports/${YEAR}/june/xlsx` },
    'GET /evaluation/{schoolYear}': { url: `/evaluation/${YEAR}` },
    'GET /calendar/{schoolYear}': { url: `/calendar/${YEAR}` },
    'PUT /calendar/{schoolYear}': { url: `/calendar/${YEAR}`, body: { calendar: 'not a calendar' } },
    'GET /users': { url: '/users' },
    'PUT /auth/me/language': { url: '/auth/me/language', body: { language: 'nn' } },
    'POST /users': { url: '/users', body: { username: `new-${Math.random().toString(36).slice(2, 8)}`, displayName: 'Ny Brukar', role: 'leader' } },
    'POST /users/{username}/disable': { url: '/users/nobody-here/disable', body: {} },
    'POST /users/{username}/reset-password': { url: '/users/nobody-here/reset-password', body: {} },
    'GET /users/{username}/tokens': { url: '/users/nobody-here/tokens' },
    'POST /users/{username}/tokens': { url: '/users/nobody-here/tokens', body: { name: 'x' } },
    'POST /tokens/{tokenId}/revoke': { url: '/tokens/00000000-0000-4000-8000-000000000000/revoke', body: {} },
    'GET /audit': { url: '/audit' },
    'POST /persons/export': { url: '/persons/export', body: { nationalId: unit === 'own' ? ids.own : ids.other } },
    'POST /imports': { url: `/imports?schoolYear=${YEAR + 1}&fileName=empty.csv`, body: transferFile([]) },
    'GET /imports/{schoolYear}/{importId}': { url: `/imports/${YEAR}/00000000-0000-4000-8000-000000000000` },
    'POST /letters/batches': { url: '/letters/batches', body: { schoolYear: YEAR, unit: u, osCode: 'OSUT' } },
    'GET /letters/{schoolYear}/{unit}/files/{fileName}': { url: `/letters/${YEAR}/${u}/files/none.pdf` },
    'GET /letters/{schoolYear}': { url: `/letters/${YEAR}?unit=${u}` },
    'GET /letters/{schoolYear}/{unit}/held': { url: `/letters/${YEAR}/${u}/held` },
    'GET /letters/{schoolYear}/{unit}/admissions-office': { url: `/letters/${YEAR}/${u}/admissions-office` },
    'POST /letters/confirm': { url: '/letters/confirm', body: { schoolYear: YEAR, unit: u, osCode: 'OSUT', sentOn: today } },
    'POST /sms/confirm': { url: '/sms/confirm', body: { schoolYear: YEAR, unit: u, sentOn: today } },
    'POST /sms/campaign': { url: '/sms/campaign', body: { schoolYear: YEAR, unit: u } },
    'POST /sms/export': { url: '/sms/export', body: { schoolYear: YEAR, unit: u }, headers: { 'idempotency-key': `export-${Math.random()}` } },
    'POST /crosschecks': { url: `/crosschecks?schoolYear=${YEAR}&list=exchange`, body: `fodselsnummer\n${ids.nobody}\n` },
    'GET /vigo-returns/{schoolYear}': { url: `/vigo-returns/${YEAR}?unit=${u}` },
    'GET /vigo-returns/{schoolYear}/{unit}/{file}': { url: `/vigo-returns/${YEAR}/${u}/vigo.csv` },
    'POST /vigo-returns': { url: '/vigo-returns', body: { schoolYear: YEAR, unit: u } },
    'GET /nav/{schoolYear}/{unit}/{format}': { url: `/nav/${YEAR}/${u}/csv` },
    // A row that changes nothing: the import is decided row by row, so another unit's case is a rejected row, not a 404.
    'POST /nav/imports': { url: `/nav/imports?schoolYear=${YEAR}`, body: `saksref\n${id}\n` },
    'POST /codec/decode': { url: '/codec/decode', body: { payloads: [] } },
    'POST /codec/encode': { url: '/codec/encode', body: { payloads: [] } },
  };
  return table[key];
}

/** The policy action of each endpoint, and whether the unit it concerns is the case's or the query's. */
const ENDPOINT_ACTIONS: Record<string, { action: Action; unitScoped: boolean }> = {
  'GET /cases': { action: 'cases.search', unitScoped: true },
  'POST /cases/lookup': { action: 'cases.lookup', unitScoped: true },
  'GET /cases/{caseId}': { action: 'case.read', unitScoped: true },
  'POST /cases/{caseId}/outcome': { action: 'case.outcome', unitScoped: true },
  'POST /cases/{caseId}/reply': { action: 'case.reply', unitScoped: true },
  'POST /cases/{caseId}/claim': { action: 'case.claim', unitScoped: true },
  'POST /cases/{caseId}/returned-letter': { action: 'case.returnedLetter', unitScoped: true },
  'POST /cases/{caseId}/contact': { action: 'case.contact', unitScoped: true },
  'POST /cases/{caseId}/call': { action: 'case.call', unitScoped: true },
  'POST /cases/{caseId}/plan': { action: 'case.plan', unitScoped: true },
  'POST /cases/{caseId}/review': { action: 'case.review', unitScoped: true },
  'GET /cases/{caseId}/plan': { action: 'case.read', unitScoped: true },
  'GET /worklist/{schoolYear}': { action: 'worklist.read', unitScoped: true },
  'GET /overdue/{schoolYear}': { action: 'overdue.read', unitScoped: true },
  'GET /units': { action: 'units.read', unitScoped: false },
  'GET /calls': { action: 'calls.read', unitScoped: true },
  'POST /units/{unit}/staff': { action: 'staff.change', unitScoped: true },
  'POST /units/{unit}/staff/remove': { action: 'staff.change', unitScoped: true },
  'POST /calls/{caseId}/reassign': { action: 'calls.reassign', unitScoped: true },
  'POST /calls/reassign': { action: 'calls.reassign', unitScoped: true },
  'GET /sms/inbox': { action: 'sms.inbox.read', unitScoped: false },
  'POST /sms/inbox/{inboundId}/assign': { action: 'sms.inbox.assign', unitScoped: true },
  'POST /sms/inbound': { action: 'sms.gateway', unitScoped: false },
  'POST /sms/delivery-report': { action: 'sms.gateway', unitScoped: false },
  'GET /counters/{schoolYear}': { action: 'counters.read', unitScoped: false },
  'GET /reports/{schoolYear}': { action: 'reports.read', unitScoped: false },
  'GET /reports/{schoolYear}/stored': { action: 'reports.read', unitScoped: false },
  'GET /reports/{schoolYear}/{report}/{format}': { action: 'reports.read', unitScoped: false },
  'GET /evaluation/{schoolYear}': { action: 'evaluation.read', unitScoped: false },
  'GET /calendar/{schoolYear}': { action: 'calendar.read', unitScoped: false },
  'PUT /calendar/{schoolYear}': { action: 'calendar.write', unitScoped: false },
  'GET /users': { action: 'users.manage', unitScoped: false },
  'PUT /auth/me/language': { action: 'self.settings', unitScoped: false },
  'POST /users': { action: 'users.manage', unitScoped: false },
  'POST /users/{username}/disable': { action: 'users.manage', unitScoped: false },
  'POST /users/{username}/reset-password': { action: 'users.manage', unitScoped: false },
  'GET /users/{username}/tokens': { action: 'users.manage', unitScoped: false },
  'POST /users/{username}/tokens': { action: 'users.manage', unitScoped: false },
  'POST /tokens/{tokenId}/revoke': { action: 'users.manage', unitScoped: false },
  'GET /audit': { action: 'audit.read', unitScoped: false },
  'POST /persons/export': { action: 'person.export', unitScoped: false },
  'POST /imports': { action: 'cohort.import', unitScoped: false },
  'GET /imports/{schoolYear}/{importId}': { action: 'cohort.import', unitScoped: false },
  'POST /letters/batches': { action: 'letters.print', unitScoped: true },
  'GET /letters/{schoolYear}/{unit}/files/{fileName}': { action: 'letters.print', unitScoped: true },
  'GET /letters/{schoolYear}': { action: 'letters.print', unitScoped: true },
  'GET /letters/{schoolYear}/{unit}/held': { action: 'letters.print', unitScoped: true },
  'GET /letters/{schoolYear}/{unit}/admissions-office': { action: 'letters.print', unitScoped: true },
  'POST /letters/confirm': { action: 'letters.confirm', unitScoped: true },
  'POST /sms/confirm': { action: 'sms.confirm', unitScoped: true },
  'POST /sms/campaign': { action: 'sms.campaign', unitScoped: true },
  'POST /sms/export': { action: 'sms.export', unitScoped: true },
  'POST /crosschecks': { action: 'crosscheck.run', unitScoped: false },
  'GET /vigo-returns/{schoolYear}': { action: 'vigo.read', unitScoped: true },
  'GET /vigo-returns/{schoolYear}/{unit}/{file}': { action: 'vigo.read', unitScoped: true },
  'POST /vigo-returns': { action: 'vigo.return', unitScoped: true },
  'GET /nav/{schoolYear}/{unit}/{format}': { action: 'nav.export', unitScoped: true },
  'POST /nav/imports': { action: 'nav.import', unitScoped: false },
  'POST /codec/decode': { action: 'payloads.decode', unitScoped: false },
  'POST /codec/encode': { action: 'payloads.decode', unitScoped: false },
};

/** Samples that name something absent on purpose (no such user, token or inbox entry): allowed, they answer 404. */
const ABSENT = new Set([
  'GET /cases/{caseId}/plan',
  'POST /sms/inbox/{inboundId}/assign',
  'POST /users/{username}/disable',
  'POST /users/{username}/reset-password',
  'GET /users/{username}/tokens',
  'POST /users/{username}/tokens',
  'POST /tokens/{tokenId}/revoke',
  'GET /imports/{schoolYear}/{importId}',
  'GET /letters/{schoolYear}/{unit}/files/{fileName}',
  'GET /reports/{schoolYear}/{report}/{format}',
]);

const PUBLIC = new Set(['GET /health', 'POST /auth/sign-in', 'POST /auth/sign-out', 'GET /auth/me', 'GET /auth/methods']);

function endpoints(): string[] {
  const spec = api.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
}

describe('the access matrix', () => {
  it('has a policy entry and a sample request for every endpoint /docs lists', () => {
    const listed = endpoints().filter((e) => !e.startsWith('GET /docs') && !PUBLIC.has(e));
    expect(listed.filter((e) => !ENDPOINT_ACTIONS[e] || !sample(e, 'own'))).toEqual([]);
    expect(listed.sort()).toEqual(Object.keys(ENDPOINT_ACTIONS).sort());
    for (const { action } of Object.values(ENDPOINT_ACTIONS)) expect(POLICY[action]).toBeDefined();
  });

  it('answers nothing but /health and sign-in without a session or token', async () => {
    const anonymous = caller(base);
    // The gateway's callbacks are let through without a secret on a local stack (none is configured here).
    for (const e of Object.keys(ENDPOINT_ACTIONS).filter((k) => ENDPOINT_ACTIONS[k].action !== 'sms.gateway')) {
      const [method] = e.split(' ');
      const s = sample(e, 'own')!;
      expect([e, (await anonymous(method, s.url, s.body, s.headers)).status]).toEqual([e, 401]);
      // Not even whether its query or body would be valid: without the sample's parameters, the same 401.
      expect([e, (await anonymous(method, s.url.split('?')[0], method === 'GET' ? undefined : {})).status]).toEqual([e, 401]);
    }
    expect((await anonymous('GET', '/health')).body).toEqual({ ok: expect.any(Boolean) });
  });

  // Each role, unit-scoped ones of OWN; asked about OWN's case and OTHER's.
  it.each(ROLES.filter((r) => r !== 'smsGateway'))('decides every endpoint for a %s as the policy table says', async (role: Role) => {
    const who = await userWithToken(stack, base, { role, units: isCountyWide(role) ? [] : [OWN] });
    const answers: string[] = [];
    const expected: string[] = [];
    for (const [e, { action, unitScoped }] of Object.entries(ENDPOINT_ACTIONS)) {
      if (e.startsWith('POST /sms/inbound') || e.startsWith('POST /sms/delivery')) continue; // the gateway's, below
      const [method] = e.split(' ');
      for (const unit of ['own', 'other'] as const) {
        const s = sample(e, unit)!;
        const status = (await who.call(method, s.url, s.body, s.headers)).status;
        // An allowed request about something that does not exist (a user, an inbox entry) is rightly 404.
        const allowed = ABSENT.has(e) ? '404' : 'allowed';
        const want = !mayTake(role, action) ? '403' : unit === 'other' && unitScoped && !isCountyWide(role) ? '404' : allowed;
        answers.push(`${e} ${unit}: ${[401, 403, 404].includes(status) ? String(status) : 'allowed'}`);
        expected.push(`${e} ${unit}: ${want}`);
      }
    }
    expect(answers).toEqual(expected);
  });

  it('lets the SMS gateway post its two callbacks and nothing else', async () => {
    const gateway = await userWithToken(stack, base, { role: 'smsGateway' });
    expect((await gateway.call('POST', '/sms/inbound', sample('POST /sms/inbound', 'own')!.body)).status).toBe(200);
    expect((await gateway.call('GET', `/cases/${caseOf('own')}`)).status).toBe(403);
    expect((await gateway.call('GET', '/sms/inbox')).status).toBe(403);
  });
});

describe('sign-in', () => {
  /** A browser: keeps the session cookie between requests. */
  function browser() {
    let cookie = '';
    const call: ApiCall = async (method, url, payload, headers = {}) => {
      const r = await caller(base, cookie ? { cookie } : {})(method, url, payload, headers);
      const set = r.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      return r;
    };
    return { call, cookie: () => cookie };
  }

  it('signs in with a local account, needs the CSRF token for writes, and records who acted in the journal', async () => {
    await addUser(
      stack.pool,
      stack.config.units,
      { username: 'kari.kontor', displayName: 'Kari Kontor', role: 'officeStaff', units: [OWN] },
      'lang-og-trygg-passord-1',
    );
    const b = browser();
    const signedIn = await b.call('POST', '/auth/sign-in', { username: 'kari.kontor', password: 'lang-og-trygg-passord-1' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('set-cookie')).toMatch(/ot_session=.*HttpOnly.*SameSite=Strict/i);
    const me = await b.call('GET', '/auth/me');
    expect(me.body.user).toMatchObject({ username: 'kari.kontor', role: 'officeStaff', units: [OWN] });
    const id = caseOf('own');
    expect((await b.call('POST', `/cases/${id}/call`, { result: 'notReached', note: 'ingen svar' })).status).toBe(403);
    const called = await b.call('POST', `/cases/${id}/call`, { result: 'notReached', note: 'ingen svar' }, { 'x-csrf-token': me.body.csrfToken });
    expect(called.status).toBe(200);
    // The action answers the case without its journal; the case view reads it, the note with it, from PostgreSQL.
    expect(called.body).not.toHaveProperty('journal');
    const entry = (await b.call('GET', `/cases/${id}`)).body.journal.at(-1);
    expect(entry).toMatchObject({ event: 'CALL', by: 'Kari Kontor', byUserId: me.body.user.userId, note: 'ingen svar' });
    expect((await b.call('GET', `/cases/${caseOf('other')}`)).status).toBe(404);
    await b.call('POST', '/auth/sign-out', {}, { 'x-csrf-token': me.body.csrfToken });
    expect((await b.call('GET', `/cases/${id}`)).status).toBe(401);
  });

  it('locks an account after five wrong passwords, and says the same for an unknown user as for a wrong password', async () => {
    await addUser(
      stack.pool,
      stack.config.units,
      { username: 'per.prov', displayName: 'Per Prøv', role: 'caseworker', units: [OWN] },
      'eit-godt-passord-for-per',
    );
    const b = browser();
    const unknown = await b.call('POST', '/auth/sign-in', { username: 'ingen.her', password: 'kva som helst 123' });
    const wrong = await b.call('POST', '/auth/sign-in', { username: 'per.prov', password: 'feil passord 123' });
    expect([unknown.status, unknown.body.error]).toEqual([401, wrong.body.error]);
    for (let i = 0; i < 4; i++) await b.call('POST', '/auth/sign-in', { username: 'per.prov', password: 'feil passord 123' });
    const locked = await b.call('POST', '/auth/sign-in', { username: 'per.prov', password: 'eit-godt-passord-for-per' });
    expect([locked.status, locked.body.error]).toEqual([401, expect.stringMatching(/locked/)]);
    expect((await ot(['users', 'reset-password', 'per.prov'])).code).toBe(0);
  });

  it('refuses a session past its idle time, and a revoked token', async () => {
    await addUser(stack.pool, stack.config.units, { username: 'ida.idle', displayName: 'Ida', role: 'leader', units: [] }, 'ein-lang-frase-for-ida');
    const b = browser();
    await b.call('POST', '/auth/sign-in', { username: 'ida.idle', password: 'ein-lang-frase-for-ida' });
    expect((await b.call('GET', `/counters/${YEAR}`)).status).toBe(200);
    // The session's last request an hour ago: past the idle timeout, whatever the cookie says.
    await stack.pool.query(
      `UPDATE sessions SET data = jsonb_set(data, '{lastSeenAt}', to_jsonb((extract(epoch from now()) * 1000 - 3600000)::bigint))`,
    );
    expect((await b.call('GET', `/counters/${YEAR}`)).status).toBe(401);

    const who = await userWithToken(stack, base, { role: 'leader' });
    expect((await who.call('GET', `/counters/${YEAR}`)).status).toBe(200);
    const tokens = await ot(['--json', 'users', 'tokens', who.username]);
    const [token] = JSON.parse(tokens.stdout) as { id: string }[];
    expect((await ot(['users', 'revoke', token.id])).code).toBe(0);
    expect((await who.call('GET', `/counters/${YEAR}`)).status).toBe(401);
  });
});

describe('two people at once', () => {
  it('lets one of two calls based on the same case version through, and answers the other 409 with the case as it is now', async () => {
    const a = await userWithToken(stack, base, { role: 'officeStaff', units: [OWN], name: 'Anne A' });
    const b = await userWithToken(stack, base, { role: 'officeStaff', units: [OWN], name: 'Bjørn B' });
    const id = caseOf('race');
    const seen = await a.call('GET', `/cases/${id}`);
    const version = seen.headers.get('etag')!;
    expect(version).toMatch(/^"\d+"$/);
    const [first, second] = await Promise.all([
      a.call('POST', `/cases/${id}/call`, { result: 'notReached' }, { 'if-match': version }),
      b.call('POST', `/cases/${id}/call`, { result: 'notReached' }, { 'if-match': version }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const conflict = first.status === 409 ? first : second;
    expect(conflict.body.error).toMatch(/changed since you saw it/);
    expect(conflict.body.case.version).toBe(Number(JSON.parse(version)) + 1);
    const after = await a.call('GET', `/cases/${id}`);
    expect(after.body.journal.filter((e: { event: string }) => e.event === 'CALL')).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('refuses unknown fields, wrong types and malformed JSON with the field named, and changes nothing', async () => {
    const who = await userWithToken(stack, base, { role: 'caseworker', units: [OWN] });
    const id = caseOf('own');
    const before = (await who.call('GET', `/cases/${id}`)).body.version;
    const unknown = await who.call('POST', `/cases/${id}/outcome`, { status: 'OTOV', channel: 'phone', by: 'someone else' });
    expect([unknown.status, unknown.body.error]).toEqual([400, expect.stringMatching(/by/)]);
    const wrongType = await who.call('POST', `/cases/${id}/outcome`, { status: 7, channel: 'phone' });
    expect([wrongType.status, wrongType.body.error]).toEqual([400, expect.stringMatching(/status/)]);
    const malformed = await who.call('POST', `/cases/${id}/outcome`, undefined, { 'content-type': 'application/json', 'x-body': '1' });
    expect(malformed.status).toBe(400);
    const long = await who.call('POST', `/cases/${id}/outcome`, { status: 'OTOV', channel: 'phone', note: 'x'.repeat(2001) });
    expect([long.status, long.body.error]).toEqual([400, 'note: at most 2000 characters']);
    const fnr = await who.call('POST', `/cases/${id}/outcome`, { status: 'OTOV', channel: 'phone', note: `fnr ${ids.own}` });
    expect(fnr.status).toBe(422);
    expect(JSON.stringify(fnr.body)).not.toContain(ids.own);
    expect((await who.call('GET', `/cases/${id}`)).body.version).toBe(before);
  });
});

describe('the audit', () => {
  it('holds a row for each read and write of a case, with no name or national id in any row', async () => {
    const rows = (await stack.pool.query('SELECT * FROM audit_log')).rows;
    expect(rows.length).toBeGreaterThan(50);
    const text = JSON.stringify(rows);
    for (const id of Object.values(ids)) expect(text).not.toContain(id);
    for (const name of ['Åse', 'Eige', 'Olav', 'Annan', 'Rita', 'Kappløp']) expect(text).not.toContain(name);
    const own = await ot(['--json', 'audit', '--case', caseOf('own')]);
    const entries = JSON.parse(own.stdout) as { action: string; kind: string }[];
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['case.read', 'case.call']));
    expect(entries.some((e) => e.kind === 'denied')).toBe(true);
  });
});

describe('the CLI', () => {
  it('runs a command only as an account the policy allows it for', async () => {
    await addUser(
      stack.pool,
      stack.config.units,
      { username: 'cw.other', displayName: 'Cw Other', role: 'caseworker', units: [OTHER] },
      'caseworker-passord-langt',
    );
    expect(await ot(['case', 'show', caseOf('own'), '--as', 'cw.other'])).toMatchObject({ code: 1, stderr: `ot: no case ${caseOf('own')}\n` });
    expect((await ot(['case', 'show', caseOf('other'), '--as', 'cw.other'])).code).toBe(0);
    expect(await ot(['users', 'list', '--as', 'cw.other'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^ot: refused: the role caseworker .* may not manage users/),
    });
    expect(await ot(['status', '--as', 'nobody'])).toMatchObject({ code: 1, stderr: 'ot: no enabled account nobody\n' });
  });
});
