import { parse } from 'csv-parse/sync';
import type { Pool } from 'pg';
import { deliverSms, exportOutbox, recordDeliveryReport, type Delivery, type SmsToDeliver } from '../../activities/sms-delivery';
import { SmsGatewayError, createSmsGateway, type SmsGateway } from '../../activities/sms-gateway';
import { createPool } from '../../db/pool';
import { type SmsConfig } from '../../schemas/config';
import { startFakeSmsGateway, type FakeSmsGateway, type FakeStep } from '../../bench/fake-sms-gateway';
import { loadConfig } from '../../runtime/config';

/** Against the run's throwaway database (global-setup creates and migrates it) and a fake gateway on loopback. */
const SCHOOL_YEAR = 2041;
/**
 * The client gives up after this: long enough that a loaded machine (the cluster run, other suites beside) still
 * answers an ordinary POST in time, or a give-up nobody scripted would add a POST the counts below do not expect.
 */
const CLIENT_TIMEOUT_MS = 1500;

let pool: Pool;
let fake: FakeSmsGateway;
let http: SmsGateway;
/** Every message of every error deliverSms threw, and every last_error stored: none may name a person. */
const errorTexts: string[] = [];

const caseIdOf = (n: number) => `5e5000${n.toString(16).padStart(18, '0')}`;
const nationalOf = (n: number) => `9${String(n).padStart(7, '0')}`;
const mobileOf = (n: number) => `+47${nationalOf(n)}`;
const bodyOf = (n: number) => `Hei Åse Nordmann-${n}. Vi sendte deg eit brev frå Oppfølgingstenesta; svar gjerne på denne SMS-en. Helsing OT`;

function message(n: number, unit = '12250', step = 'sms1'): SmsToDeliver {
  const caseId = caseIdOf(n);
  return { key: `${caseId}:${step}`, caseId, schoolYear: SCHOOL_YEAR, unit, step, to: mobileOf(n), body: bodyOf(n) };
}

async function addPersons(from: number, to: number): Promise<void> {
  await pool.query(
    `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name, mobile)
     SELECT x.case_id, $1, x.national_id, 'fictitious', 'Åse', 'Nordmann', x.mobile
     FROM jsonb_to_recordset($2::jsonb) AS x(case_id text, national_id text, mobile text) ON CONFLICT DO NOTHING`,
    [
      SCHOOL_YEAR,
      JSON.stringify(
        Array.from({ length: to - from + 1 }, (_, k) => ({
          case_id: caseIdOf(from + k),
          national_id: `sms-${from + k}`,
          mobile: mobileOf(from + k),
        })),
      ),
    ],
  );
}

const httpConfig = (over: Partial<SmsConfig> = {}): SmsConfig => ({
  provider: 'http',
  sender: 'OT Hordaland',
  url: fake.url,
  user: fake.user,
  password: fake.password,
  timeoutMs: CLIENT_TIMEOUT_MS,
  ...over,
});

/** Temporal's activity retry, in small: the same call again after a retryable failure, up to a cap. */
async function deliverWithRetries(gateway: SmsGateway, sms: SmsToDeliver, cap = 12): Promise<Delivery> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deliverSms(pool, gateway, sms);
    } catch (err) {
      errorTexts.push((err as Error).message);
      if (!(err instanceof SmsGatewayError) || !err.retryable || attempt >= cap) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 25));
    }
  }
}

/** A worker that dies after the gateway took the message and before the answer is recorded. */
const crashingAfterSend = (inner: SmsGateway): SmsGateway => ({
  provider: inner.provider,
  async send(sms) {
    await inner.send(sms);
    throw new Error(`worker lost while sending to ${sms.to}: ${sms.body}`);
  },
});

async function row(key: string) {
  const { rows } = await pool.query(
    'SELECT status, provider, provider_ref, attempts, last_error, sent_at, mobile, body, campaign_id FROM sms_messages WHERE message_key = $1',
    [key],
  );
  return rows[0];
}

beforeAll(async () => {
  pool = createPool(loadConfig().databaseUrl);
  await pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 24) ON CONFLICT DO NOTHING', [SCHOOL_YEAR]);
  await addPersons(0, 199);
  fake = await startFakeSmsGateway({ lateMs: CLIENT_TIMEOUT_MS * 2 });
  http = createSmsGateway(httpConfig());
});

afterAll(async () => {
  await fake.close();
  await pool.end();
});

describe('the HTTP gateway, with failures, timeouts, late answers, duplicates and a crash', () => {
  const N = 60;
  const REJECTED = 7;
  const CRASHED = new Set([5, 17, 29, 41, 53]);
  /** What the gateway does with each POST of a message until it answers ok. */
  const scriptOf = (i: number): FakeStep[] => {
    if (i === REJECTED) return ['reject400'];
    if (CRASHED.has(i)) return [];
    return ([['fail500', 'busy429'], ['stall'], ['late'], ['hang'], ['fail500', 'late', 'hang', 'stall'], []] as FakeStep[][])[i % 6];
  };
  const batch = Array.from({ length: N }, (_, i) => message(i));
  const crashed = batch.filter((_, i) => CRASHED.has(i));

  it('delivers each message to the handset once, however often it is tried', async () => {
    batch.forEach((sms, i) => fake.script(sms.key, ...scriptOf(i)));

    // The batch as workers would run it: every message retried until it resolves, a third of them started
    // three times at once (a retry racing a slow attempt, a second worker), and five lost in a crash.
    const runs: Promise<unknown>[] = [];
    batch.forEach((sms, i) => {
      if (CRASHED.has(i)) {
        runs.push(
          deliverSms(pool, crashingAfterSend(http), sms).then(
            () => {
              throw new Error('the crash did not happen');
            },
            (err: Error) => errorTexts.push(err.message),
          ),
        );
        return;
      }
      const copies = i % 3 === 0 ? 3 : 1;
      for (let c = 0; c < copies; c++) runs.push(deliverWithRetries(http, sms).catch((err: Error) => err));
    });
    const outcomes = await Promise.all(runs);

    // The refused message failed at once, for good, with a message that is safe to show.
    const refusals = outcomes.filter((o): o is SmsGatewayError => o instanceof SmsGatewayError);
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    for (const r of refusals) {
      expect(r.retryable).toBe(false);
      expect(r.message).toMatch(/refused the message \(HTTP 400\): Invalid destination \[number\]/);
    }
    expect(outcomes.filter((o) => o instanceof Error && !(o instanceof SmsGatewayError))).toEqual([]);

    for (const [i, sms] of batch.entries()) {
      const s = fake.stats(sms.key);
      const r = await row(sms.key);
      if (CRASHED.has(i)) {
        // The gateway has it, we never heard: left 'sending' for the re-run.
        expect([s.posts, s.deliveries, r.status, r.attempts]).toEqual([1, 1, 'sending', 1]);
        expect(r.last_error).toMatch(/without a known answer/);
        continue;
      }
      if (i === REJECTED) {
        expect([s.posts, s.deliveries, r.status, r.attempts, r.provider_ref]).toEqual([1, 0, 'failed', 1, null]);
        continue;
      }
      // Exactly one POST per scripted failure plus the one that was answered: duplicates waited, none slipped through.
      expect({ i, posts: s.posts, attempts: r.attempts }).toEqual({ i, posts: scriptOf(i).length + 1, attempts: scriptOf(i).length + 1 });
      expect(s.deliveries).toBe(1);
      expect(s.postsAfterAnswer).toBe(0);
      expect(s.delivered).toMatchObject({ to: sms.to, body: sms.body });
      expect(r).toMatchObject({ status: 'sent', provider: 'http', provider_ref: s.delivered!.messageId });
      expect(r.sent_at).toBeInstanceOf(Date);
    }
  });

  it('finishes a crashed message on the re-run without a second SMS, and sends nothing for the rest', async () => {
    const postsBefore = new Map(batch.map((sms) => [sms.key, fake.stats(sms.key).posts]));
    // The re-run asks with another text for the crashed ones: the first text is what was sent and stays so.
    const rerun = batch.map((sms, i) => (CRASHED.has(i) ? { ...sms, body: `${sms.body} (endra)` } : sms));
    const results = await Promise.all(rerun.map((sms) => deliverWithRetries(http, sms)));

    for (const [i, sms] of batch.entries()) {
      const s = fake.stats(sms.key);
      const r = await row(sms.key);
      expect(s.deliveries).toBe(i === REJECTED ? 0 : 1);
      if (CRASHED.has(i)) {
        expect(results[i]).toEqual({ status: 'sent', providerRef: s.delivered!.messageId, alreadyDone: false });
        // One POST again, with the same key and the first text; the gateway answered it with the first id.
        expect(s.posts).toBe(2);
        expect(s.bodies).toEqual([sms.body, sms.body]);
        // The one POST after a 2xx that no design can avoid: the 2xx reached a worker that died before recording it.
        expect(s.postsAfterAnswer).toBe(1);
        expect(r).toMatchObject({ status: 'sent', attempts: 2, body: sms.body });
      } else {
        expect(results[i]).toEqual({
          status: i === REJECTED ? 'failed' : 'sent',
          providerRef: i === REJECTED ? undefined : s.delivered!.messageId,
          alreadyDone: true,
        });
        expect(s.posts).toBe(postsBefore.get(sms.key));
        expect(s.postsAfterAnswer).toBe(0);
      }
    }

    // And once more: everything is known now, so nothing at all goes out.
    const total = () => batch.reduce((sum, sms) => sum + fake.stats(sms.key).posts, 0);
    const before = total();
    const again = await Promise.all(batch.map((sms) => deliverSms(pool, http, sms)));
    expect(again.every((d) => d.alreadyDone)).toBe(true);
    expect(total()).toBe(before);
    expect(crashed.every((sms) => fake.stats(sms.key).deliveries === 1)).toBe(true);
  });

  it('lets ten simultaneous calls for one key make one POST', async () => {
    const sms = message(100);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliverSms(pool, http, sms)));
    expect(results.filter((d) => !d.alreadyDone)).toHaveLength(1);
    expect(new Set(results.map((d) => `${d.status}:${d.providerRef}`)).size).toBe(1);
    expect(fake.stats(sms.key)).toMatchObject({ posts: 1, deliveries: 1, postsAfterAnswer: 0 });
  });

  it('retries a gateway it cannot reach, and gives up at once on wrong credentials', async () => {
    const unreachable = message(101);
    const closedPort = createSmsGateway(httpConfig({ url: 'http://127.0.0.1:1/sms/send' }));
    const err = await deliverSms(pool, closedPort, unreachable).catch((e: SmsGatewayError) => e);
    errorTexts.push((err as Error).message);
    expect(err).toBeInstanceOf(SmsGatewayError);
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/could not be reached/) });
    expect(await row(unreachable.key)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await deliverWithRetries(http, unreachable)).toMatchObject({ status: 'sent', alreadyDone: false });
    expect(fake.stats(unreachable.key)).toMatchObject({ posts: 1, deliveries: 1 });

    const wrongPassword = message(102);
    const unauthorisedBefore = fake.unauthorised;
    const refused = await deliverWithRetries(createSmsGateway(httpConfig({ password: 'wrong' })), wrongPassword).catch((e: SmsGatewayError) => e);
    expect(refused).toMatchObject({ retryable: false, httpStatus: 401 });
    expect(fake.unauthorised).toBe(unauthorisedBefore + 1);
    expect(await row(wrongPassword.key)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('records delivery reports by refId or by message id, and ignores unknown ones', async () => {
    const [a, b] = [batch[0], batch[1]];
    const refOf = (key: string) => fake.stats(key).delivered!.messageId;

    expect(await recordDeliveryReport(pool, { id: refOf(a.key), refId: a.key, resultCode: 1005, operator: 'no.telenor' })).toEqual({ matched: true });
    expect((await row(a.key)).status).toBe('sent');
    expect(await recordDeliveryReport(pool, { id: refOf(a.key), refId: a.key, resultCode: 1001, timestamp: '2041-10-01T10:00:00Z' })).toEqual({
      matched: true,
    });
    expect((await row(a.key)).status).toBe('delivered');

    // A multipart message: one report per part, matched by the gateway's id; a failed part fails the message.
    expect(await recordDeliveryReport(pool, { id: `${refOf(b.key)}$0`, refId: null, resultCode: 1001 })).toEqual({ matched: true });
    expect(
      await recordDeliveryReport(pool, { id: `${refOf(b.key)}$1`, refId: null, resultCode: 1006, description: `Not delivered to ${b.to}` }),
    ).toEqual({ matched: true });
    expect(await recordDeliveryReport(pool, { id: `${refOf(b.key)}$2`, refId: null, resultCode: '1001' })).toEqual({ matched: true });
    const failed = await row(b.key);
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toBe('delivery report: result code 1006 (Not delivered to [number])');

    expect(await recordDeliveryReport(pool, { id: 'no-such-id', refId: 'no-such-key', resultCode: 1001 })).toEqual({ matched: false });
    expect(await recordDeliveryReport(pool, { messageId: 'no-such-id', resultCode: 1001 })).toEqual({ matched: false });
    await expect(recordDeliveryReport(pool, { resultCode: 1001 })).rejects.toThrow(/needs id, messageId or refId/);

    // Settled messages stay settled, and a re-run sends nothing for them.
    const posts = fake.stats(a.key).posts + fake.stats(b.key).posts;
    expect(await deliverSms(pool, http, a)).toEqual({ status: 'delivered', providerRef: refOf(a.key), alreadyDone: true });
    expect(await deliverSms(pool, http, b)).toEqual({ status: 'failed', providerRef: refOf(b.key), alreadyDone: true });
    expect(fake.stats(a.key).posts + fake.stats(b.key).posts).toBe(posts);

    // A report for a message whose answer we never heard settles it, and the retry then sends nothing.
    const lost = message(103);
    const crash = await deliverSms(pool, crashingAfterSend(http), lost).catch((e: Error) => e);
    errorTexts.push((crash as Error).message);
    expect(await recordDeliveryReport(pool, { id: refOf(lost.key), refId: lost.key, resultCode: 1001 })).toEqual({ matched: true });
    expect(await deliverSms(pool, http, lost)).toEqual({ status: 'delivered', providerRef: refOf(lost.key), alreadyDone: true });
    expect(fake.stats(lost.key)).toMatchObject({ posts: 1, deliveries: 1 });
  });

  it('never names a person in an error', async () => {
    const { rows } = await pool.query<{ last_error: string }>(
      'SELECT last_error FROM sms_messages WHERE school_year = $1 AND last_error IS NOT NULL',
      [SCHOOL_YEAR],
    );
    const texts = [...errorTexts, ...rows.map((r) => r.last_error)];
    expect(rows.length).toBeGreaterThan(30);
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      expect(text).not.toMatch(/\d{8}/);
      expect(text).not.toMatch(/Åse|Nordmann|Oppfølgingstenesta|brev/);
    }
    // Each kind of failure left its trace.
    for (const pattern of [
      /HTTP 500/,
      /HTTP 429/,
      new RegExp(`no answer within ${CLIENT_TIMEOUT_MS} ms`),
      /without a known answer/,
      /HTTP 400/,
      /HTTP 401/,
      /could not be reached/,
    ]) {
      expect(texts.some((t) => pattern.test(t))).toBe(true);
    }
  });
});

describe('the outbox', () => {
  const outbox = () => createSmsGateway({ provider: 'outbox', sender: 'OT', timeoutMs: 1000 });
  const tricky = [
    'Hei. Vi sendte deg eit brev; svar "JA" eller "NEI".',
    'To linjer:\r\nsvar gjerne på denne SMS-en',
    'Enkel tekst utan teikn som må siterast, æøå ÆØÅ',
  ];

  it('queues without sending, exports a unit once as PSWin CSV, and leaves other units alone', async () => {
    const unitA = [150, 151, 152].map((n, k) => ({ ...message(n, '12256'), body: tricky[k] }));
    const unitB = message(153, '12260');
    for (const sms of [...unitA, unitB]) {
      expect(await deliverSms(pool, outbox(), { ...sms, campaignId: 'run-1' })).toEqual({ status: 'queued', alreadyDone: false });
    }
    // A later run with another text changes neither the text nor who handed it over.
    expect(await deliverSms(pool, outbox(), { ...unitA[0], body: 'another text', campaignId: 'run-2' })).toEqual({
      status: 'queued',
      alreadyDone: true,
    });
    expect(await row(unitA[0].key)).toMatchObject({ status: 'queued', provider: 'outbox', attempts: 1, body: tricky[0], campaign_id: 'run-1' });

    const first = await exportOutbox(pool, { schoolYear: SCHOOL_YEAR, unit: '12256' });
    expect(first.messageKeys).toEqual(unitA.map((m) => m.key));
    expect(first.csv.startsWith('\uFEFFmobil;melding\r\n')).toBe(true);
    expect(first.csv).toBe(
      '\uFEFFmobil;melding\r\n' +
        `${nationalOf(150)};"Hei. Vi sendte deg eit brev; svar ""JA"" eller ""NEI""."\r\n` +
        `${nationalOf(151)};"To linjer:\r\nsvar gjerne på denne SMS-en"\r\n` +
        `${nationalOf(152)};Enkel tekst utan teikn som må siterast, æøå ÆØÅ\r\n`,
    );
    // What a CSV reader makes of it is what we queued.
    const parsed = parse(first.csv, { bom: true, delimiter: ';', record_delimiter: '\r\n', relax_column_count: false });
    expect(parsed).toEqual([['mobil', 'melding'], ...unitA.map((m, k) => [nationalOf(150 + k), tricky[k]])]);

    for (const sms of unitA) expect((await row(sms.key)).status).toBe('exported');
    expect(await deliverSms(pool, outbox(), unitA[1])).toEqual({ status: 'exported', alreadyDone: true });

    const second = await exportOutbox(pool, { schoolYear: SCHOOL_YEAR, unit: '12256' });
    expect(second).toEqual({ csv: '\uFEFFmobil;melding\r\n', messageKeys: [], exportId: '' });
    expect((await row(unitB.key)).status).toBe('queued');
    // A report about a message nobody has sent yet is not believed.
    expect(await recordDeliveryReport(pool, { refId: unitB.key, resultCode: 1001 })).toEqual({ matched: true });
    expect((await row(unitB.key)).status).toBe('queued');
  });

  it('puts each message in one file when two exports run at once', async () => {
    const unit = '12265';
    const many = Array.from({ length: 20 }, (_, k) => message(160 + k, unit));
    for (const sms of many) await deliverSms(pool, outbox(), sms);
    const [x, y] = await Promise.all([exportOutbox(pool, { schoolYear: SCHOOL_YEAR, unit }), exportOutbox(pool, { schoolYear: SCHOOL_YEAR, unit })]);
    expect([...x.messageKeys, ...y.messageKeys].sort()).toEqual(many.map((m) => m.key).sort());
  });

  it('will not move an HTTP message with an unknown answer into the outbox', async () => {
    const sms = message(190);
    fake.script(sms.key, 'stall');
    const unknown = await deliverSms(pool, http, sms).catch((e: SmsGatewayError) => e);
    expect(unknown).toMatchObject({ retryable: true });
    const refused = await deliverSms(pool, outbox(), sms).catch((e: SmsGatewayError) => e);
    expect(refused).toMatchObject({ retryable: false, message: expect.stringMatching(/finish it with the HTTP gateway/) });
    expect(await row(sms.key)).toMatchObject({ status: 'sending', provider: 'http' });
    expect(await deliverSms(pool, http, sms)).toMatchObject({ status: 'sent', alreadyDone: false });
    expect(fake.stats(sms.key)).toMatchObject({ posts: 2, deliveries: 1 });
  });
});
