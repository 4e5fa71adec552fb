import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { setCalendar } from '../../client/use-cases/calendar';
import { printLetterBatch, type PrintedBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { submitImport } from '../../client/use-cases/cohort-import';
import { refusedSmsList, runSmsCampaign } from '../../client/use-cases/sms-campaign';
import { INBOUND_SMS_USER } from '../../client/use-cases/sms-replies';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import type { CaseStage } from '../../workflows/youth-case/machine';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { startFakeSmsGateway, type FakeSmsGateway } from '../../bench/fake-sms-gateway';
import { pdfPages } from '../support/pdf-text';
import { openStack, type TestStack } from '../support/stack';
import { nationalIdsIn } from '../support/privacy';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { showCase } from '../../client/use-cases/case-queries';
import { type SmsCampaignResult } from '../../workflows/contracts/sms-campaign';

/**
 * Letters and SMS from the cases themselves, on the real dev server and PostgreSQL: a print batch read
 * back from its PDF, the mass recode of exactly the printed letters, the SMS campaign starting by itself
 * after the letters and sending through an HTTP gateway on loopback that fails, times out and answers
 * late, and replies by SMS reaching their case or the inbox.
 */
const YEAR = 2036;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-letters-sms-'));

/** Each youth's postnummer sets the print order; each mobile's script sets what the gateway does with its SMS. */
const youth = {
  ase: { id: nextId('2016-01-10'), first: 'Åse', last: 'Ødegård', address: ['Øvre Ålesundsgate 3', '5018', 'Bergen'], mobile: '91000001' },
  aanga: { id: nextId('2016-02-11'), first: 'Áŋŋá Sárá', last: 'Bieđđa', address: ['Fjellveien 7', '5019', 'Bergen'], mobile: '91000002' },
  lukasz: { id: nextId('2016-03-12'), first: 'Łukasz', last: 'Wójcik', address: ['Nygårdsgaten 1', '5015', 'Bergen'], mobile: '91000003' },
  minor: {
    id: nextId('2020-04-13'),
    first: 'Mia',
    last: 'Næss',
    address: ['Kalfarveien 2', '5016', 'Bergen'],
    mobile: '91000004',
    guardian: ['Per Næss', 'Sandviksveien 40', '5035', 'Bergen'],
  },
  failing: { id: nextId('2016-05-14'), first: 'Frida', last: 'Fail', address: ['Møhlenpris 1', '5006', 'Bergen'], mobile: '91000005' },
  hanging: { id: nextId('2016-06-15'), first: 'Hans', last: 'Heng', address: ['Møhlenpris 2', '5007', 'Bergen'], mobile: '91000006' },
  late: { id: nextId('2016-07-16'), first: 'Liv', last: 'Sein', address: ['Møhlenpris 3', '5008', 'Bergen'], mobile: '91000007' },
  throttled: { id: nextId('2016-08-17'), first: 'Tor', last: 'Trøtt', address: ['Møhlenpris 4', '5009', 'Bergen'], mobile: '91000008' },
  refused: { id: nextId('2016-09-18'), first: 'Rolf', last: 'Nei', address: ['Møhlenpris 5', '5010', 'Bergen'], mobile: '91000009' },
  stalled: { id: nextId('2016-10-19'), first: 'Stine', last: 'Stopp', address: ['Møhlenpris 6', '5011', 'Bergen'], mobile: '91000010' },
  noMobile: { id: nextId('2016-11-20'), first: 'Nils', last: 'Utan', address: ['Møhlenpris 7', '5012', 'Bergen'] },
  otherUnit: {
    id: nextId('2016-12-21'),
    first: 'Olav',
    last: 'Annan',
    address: ['Vossevangen 1', '5700', 'Voss'],
    mobile: '91000011',
    unit: '12275',
  },
} satisfies Record<string, Omit<TestRow, 'address' | 'guardian'> & { address: string[]; guardian?: string[] }>;
type Youth = keyof typeof youth;
const inUnit = (Object.keys(youth) as Youth[]).filter((w) => w !== 'otherUnit');
const withMobile = inUnit.filter((w) => w !== 'noMobile');

let stack: TestStack;
let gateway: FakeSmsGateway;
let api: FastifyInstance;
let apiUrl: string;

/** Office staff's API token; the gateway's callbacks need none on a local stack (no callback secret set). */
let asKari: ApiCall;
let asGateway: ApiCall;

/** A real HTTP call to the API, as the gateway and the console make them. */
async function call(method: 'GET' | 'POST', url: string, payload?: unknown) {
  const r = await (url === '/sms/inbound' || url === '/sms/delivery-report' ? asGateway : asKari)(method, url, payload);
  const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  return { statusCode: r.status, body, json: () => JSON.parse(body) };
}
let batch: PrintedBatch;

const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const keyOf = (who: Youth) => `${caseOf(who)}:sms1`;
/** The case as `ot case show` and the API show it: the workflow's state, the journal (notes and all) from the read model. */
const detailOf = async (who: Youth): Promise<CaseDetail> => (await showCase(stack.pool, stack.client, caseOf(who)))!;
const stageReached = (who: Youth, stage: CaseStage) =>
  eventually(async () => {
    const d = await detailOf(who);
    return d.stage === stage ? d : undefined;
  }, `${who} to reach ${stage}`);
const projected = (who: Youth, stage: CaseStage) =>
  eventually(
    async () => ((await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)])).rows[0]?.stage === stage ? true : undefined),
    `${who} projected as ${stage}`,
  );

beforeAll(async () => {
  gateway = await startFakeSmsGateway({ lateMs: 1500 });
  stack = await openStack({
    taskQueue: 'letters-and-sms',
    sms: { provider: 'http', url: gateway.url, user: gateway.user, password: gateway.password, sender: 'OT Vestland', timeoutMs: 400 },
  });
  await stack.startWorker();
  process.env.OT_LOG_LEVEL = 'warn';
  ({ app: api, url: apiUrl } = await startApi(stack));
  asGateway = caller(apiUrl);
  asKari = (await userWithToken(stack, apiUrl, { role: 'officeStaff', units: stack.config.units.map((u) => u.code), name: 'Kari Kontor' })).call;
  const t0 = Date.now();
  // The phone campaigns and the year end are far off: this test is about the letters and the SMS.
  await setCalendar(
    stack,
    YEAR,
    yearInSteps(YEAR, t0, 600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
  );
  const rows: TestRow[] = Object.values(youth).map((y) => ({
    ...y,
    address: y.address as TestRow['address'],
    guardian: 'guardian' in y ? (y.guardian as TestRow['guardian']) : undefined,
  }));
  await (await submitImport(stack, { fileName: 'letters.csv', content: transferFile(rows), schoolYear: YEAR, strict: false })).result();
  for (const who of Object.keys(youth) as Youth[]) await projected(who, 'letterDue');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
  await gateway?.close();
});

describe('the print batch', () => {
  it('prints every letter due in the unit, guardian copy included, sorted by postnummer, and reads back from the PDF', async () => {
    batch = (await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by, outDir }))!;
    expect(batch).toMatchObject({ number: 1, standard: inUnit.length, guardianCopies: 1, resent: 0, held: 0, letters: inUnit.length + 1 });
    const pages = await pdfPages(readFileSync(batch.files.pdf!));
    expect(pages).toHaveLength(2 * batch.letters);
    const letterPages = pages.filter((_, i) => i % 2 === 0);
    // The youth's own address block comes in postnummer order; the guardian's copy sorts at the guardian's postnummer.
    const order = letterPages.map((p) =>
      p.includes('Per Næss') ? 'guardian' : (Object.keys(youth) as Youth[]).find((w) => p.includes(`${youth[w].first} ${youth[w].last}`)),
    );
    expect(order).toEqual([
      'failing',
      'hanging',
      'late',
      'throttled',
      'refused',
      'stalled',
      'noMobile',
      'lukasz',
      'minor',
      'ase',
      'aanga',
      'guardian',
    ]);
    expect(letterPages.join('\n')).toContain('Áŋŋá Sárá Bieđđa');
    expect(letterPages.join('\n')).toContain('Łukasz Wójcik');
    expect(letterPages[8]).toMatch(/Mia Næss\s+og føresette\s+Kalfarveien 2\s+5016 Bergen/);
    expect(letterPages[11]).toMatch(/Per Næss\s+Sandviksveien 40\s+5035 Bergen/);
    expect(letterPages[11]).toMatch(/[Kk]opi/);
    for (const sheet of pages.filter((_, i) => i % 2 === 1)) expect(sheet).toMatch(/[Ss]varark/);
    expect(nationalIdsIn(pages.join('\n'))).toEqual([]);
    const list = readFileSync(batch.files.list.csv, 'utf8').split('\r\n');
    expect(list[0]).toBe('\uFEFFnr;postnummer;poststad;mottakar;adresse;brev;saksref');
    expect(list[9]).toBe(`9;5016;Bergen;Mia Næss og føresette;Kalfarveien 2;standardbrev, ungdom og føresette;${caseOf('minor')}`);
  });

  it('never prints a letter twice, and another unit’s letters are not in it', async () => {
    expect(await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by, outDir })).toBeUndefined();
    const units = await stack.pool.query(`SELECT DISTINCT b.unit FROM letters l JOIN letter_batches b USING (batch_id) WHERE b.school_year = $1`, [
      YEAR,
    ]);
    expect(units.rows).toEqual([{ unit: '12250' }]);
  });
});

describe('the SMS campaign through an HTTP gateway that fails, times out and answers late', () => {
  let sentOn: string;

  it('recodes exactly the printed letters to OTUK when the office confirms them', async () => {
    gateway.script(keyOf('failing'), 'fail500', 'fail500');
    gateway.script(keyOf('hanging'), 'hang');
    gateway.script(keyOf('late'), 'late');
    gateway.script(keyOf('throttled'), 'busy429');
    gateway.script(keyOf('refused'), 'reject400');
    gateway.script(keyOf('stalled'), 'stall');
    sentOn = new Date().toISOString();
    const mailing = await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: '12250', osCode: 'OSON', sentOn, by });
    expect(mailing).toMatchObject({ cases: inUnit.length, signalled: inUnit.length });
    const covered = await stack.pool.query('SELECT mailing_id FROM letter_batches WHERE batch_id = $1', [batch.batchId]);
    expect(covered.rows[0].mailing_id).toBe(mailing.mailingId);
    expect((await detailOf('otherUnit')).stage).toBe('letterDue');
  });

  it('runs by itself after the letters and delivers every SMS exactly once', async () => {
    const campaign = stack.client.workflow.getHandle(`sms-campaign-${YEAR}-12250-${sentOn}`);
    const result: SmsCampaignResult = await campaign.result();
    expect(result).toMatchObject({ sent: withMobile.length - 1, failed: 1, noMobile: 1, queued: 0 });
    for (const who of withMobile) {
      const stats = gateway.stats(keyOf(who));
      expect([who, stats.deliveries, stats.postsAfterAnswer]).toEqual([who, who === 'refused' ? 0 : 1, 0]);
    }
    expect(gateway.stats(keyOf('failing')).posts).toBeGreaterThanOrEqual(3);
    expect(gateway.stats(keyOf('ase')).delivered).toMatchObject({ to: '+4791000001' });
    expect(gateway.stats(keyOf('ase')).bodies[0]).toContain('Oppfølgingstjenesten');
    const stored = await stack.pool.query('SELECT case_id, status, attempts, last_error FROM sms_messages WHERE school_year = $1 ORDER BY case_id', [
      YEAR,
    ]);
    const byCase = new Map(stored.rows.map((r) => [r.case_id, r]));
    expect(byCase.get(caseOf('refused'))).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byCase.get(caseOf('refused')).last_error).not.toContain('91000009');
    expect(byCase.get(caseOf('ase'))).toMatchObject({ status: 'sent', attempts: 1 });
    expect(byCase.get(caseOf('failing')).attempts).toBeGreaterThanOrEqual(3);
    expect(byCase.has(caseOf('noMobile'))).toBe(false);
  });

  it('registers "SMS sent" on each case the gateway took, and leaves the refused one on the SMS list', async () => {
    for (const who of withMobile.filter((w) => w !== 'refused')) {
      const d = await stageReached(who, 'smsSent');
      expect(d.journal.at(-1)).toMatchObject({ event: 'SMS_SENT' });
    }
    expect((await detailOf('refused')).stage).toBe('smsDue');
    expect((await detailOf('noMobile')).stage).toBe('noMobile');
  });

  it('sends nothing again when the campaign is run again by hand', async () => {
    const posts = () => withMobile.reduce((n, who) => n + gateway.stats(keyOf(who)).posts, 0);
    const before = posts();
    const again = await runSmsCampaign(stack, { schoolYear: YEAR, unit: '12250', by });
    // Only the refused one is still due; its failure is recorded, so it is not tried again.
    expect(again).toMatchObject({ sent: 0, already: 1, failed: 0, queued: 0 });
    expect(posts()).toBe(before);
    const refused = await refusedSmsList(stack.pool, { schoolYear: YEAR, unit: '12250' });
    expect(refused).toEqual([{ caseId: caseOf('refused'), name: 'Rolf Nei', reason: expect.stringMatching(/refused the message \(HTTP 400\)/) }]);
    expect(refused[0].reason).not.toMatch(/91000009/);
  });

  it('records the gateway’s delivery reports', async () => {
    const messageId = gateway.stats(keyOf('ase')).delivered!.messageId;
    const report = await call('POST', '/sms/delivery-report', { id: messageId, refId: keyOf('ase'), resultCode: 1001 });
    expect(report.statusCode).toBe(200);
    expect(report.json()).toEqual({ matched: true });
    const row = await stack.pool.query('SELECT status FROM sms_messages WHERE message_key = $1', [keyOf('ase')]);
    expect(row.rows[0].status).toBe('delivered');
    const bad = await call('POST', '/sms/delivery-report', { resultCode: 'x' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('replies by SMS', () => {
  const inbound = (payload: Record<string, unknown>) => call('POST', '/sms/inbound', payload);

  it('registers a reply on the case with that mobile, once however often the gateway posts it', async () => {
    const body = { source: '+4791000001', destination: '2027', userData: 'Eg går på skule no, takk', messageId: 'mo-1' };
    const first = await inbound(body);
    expect(first.statusCode).toBe(200);
    // The gateway is never told which case a mobile belongs to.
    expect(first.json()).toEqual({ inboundId: 'mo-1', status: 'registered' });
    expect((await inbound(body)).json()).toEqual({ inboundId: 'mo-1', status: 'registered' });
    const d = await detailOf('ase');
    expect(d.stage).toBe('contactEstablished');
    const replies = d.journal.filter((e) => e.event === 'REPLY');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ by: INBOUND_SMS_USER, channel: 'sms', note: 'Eg går på skule no, takk' });
  });

  it('keeps a reply from an unknown number in the inbox until office staff assign it', async () => {
    const r = await inbound({ source: '004798765432', destination: '2027', userData: 'Hei, dette er Nils, eg har ny mobil', messageId: 'mo-2' });
    expect(r.json()).toEqual({ inboundId: 'mo-2', status: 'unmatched' });
    // This test's messages only (mo-…): other tests share the database.
    const inbox = (await call('GET', '/sms/inbox')).json() as { entries: { inboundId: string }[] };
    expect(inbox.entries.filter((e) => e.inboundId.startsWith('mo-'))).toEqual([
      expect.objectContaining({ inboundId: 'mo-2', mobile: '+4798765432', status: 'unmatched', reason: 'no open case has this mobile number' }),
    ]);

    const badBody = await call('POST', '/sms/inbox/mo-2/assign', { caseId: 'nope' });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error).toMatch(/caseId: a case id is 24 hexadecimal characters/);
    const missing = await call('POST', '/sms/inbox/mo-404/assign', { caseId: caseOf('noMobile') });
    expect(missing.statusCode).toBe(404);

    const assigned = await call('POST', '/sms/inbox/mo-2/assign', { caseId: caseOf('noMobile') });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ status: 'assigned', caseId: caseOf('noMobile'), handledBy: 'Kari Kontor' });
    const d = await detailOf('noMobile');
    expect(d.stage).toBe('contactEstablished');
    expect(d.journal.at(-1)).toMatchObject({ event: 'REPLY', by: 'Kari Kontor', channel: 'sms' });
    const twice = await call('POST', '/sms/inbox/mo-2/assign', { caseId: caseOf('noMobile') });
    expect(twice.statusCode).toBe(409);
    expect(
      ((await call('GET', '/sms/inbox')).json() as { entries: { inboundId: string }[] }).entries.filter((e) => e.inboundId.startsWith('mo-')),
    ).toEqual([]);
  });

  it('refuses a malformed inbound message with the reason, never echoing the number or the text', async () => {
    const r = await inbound({ source: '12345678', destination: '2027', userData: 'hemmeleg' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/source/);
    expect(r.body).not.toMatch(/12345678|hemmeleg/);
    const count = await stack.pool.query(`SELECT count(*)::int AS n FROM sms_inbox WHERE inbound_id LIKE 'mo-%'`);
    expect(count.rows[0].n).toBe(2);
  });

  it('keeps a text that holds a national id out of the journal', async () => {
    const r = await inbound({ source: '+4791000002', destination: '2027', userData: `mitt fnr er ${youth.aanga.id}`, messageId: 'mo-3' });
    expect(r.json()).toEqual({ inboundId: 'mo-3', status: 'registered' });
    expect((await stack.pool.query('SELECT case_id FROM sms_inbox WHERE inbound_id = $1', ['mo-3'])).rows).toEqual([{ case_id: caseOf('aanga') }]);
    const d = await detailOf('aanga');
    expect(JSON.stringify(d.journal)).not.toContain(youth.aanga.id);
    expect(d.journal.at(-1)).toMatchObject({ event: 'REPLY', note: expect.stringMatching(/kept in the SMS inbox/) });
  });
});
