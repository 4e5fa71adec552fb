import { setCalendar } from '../../client/use-cases/calendar';
import { showCase } from '../../client/use-cases/case-queries';
import { registerAction } from '../../client/use-cases/case-actions';
import { flowCounters } from '../../client/use-cases/counters';
import { submitImport } from '../../client/use-cases/cohort-import';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { runSmsCampaign } from '../../client/use-cases/sms-campaign';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { parseCalendar } from '../../domain/calendar-settings';
import { type SmsCampaignResult } from '../../workflows/contracts/sms-campaign';
import { secondSmsSentSignal, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import type { CaseStage } from '../../workflows/youth-case/machine';
import { startFakeSmsGateway, type FakeSmsGateway } from '../../bench/fake-sms-gateway';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The second SMS round on the real dev server and PostgreSQL, through an HTTP gateway on loopback: the SMS campaign
 * sleeps an hour until its SMS, a calendar change moves it earlier and wakes the campaign; then it sleeps an hour until
 * the second SMS, and another change moves that earlier too. Those still OTUK with a mobile get the second text once.
 */
const YEAR = 2090;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-second-sms-'));

const youth = {
  ada: { id: nextId('2030-01-10'), first: 'Ada', last: 'Aas', mobile: '91090001' },
  bo: { id: nextId('2030-02-11'), first: 'Bo', last: 'Berg', mobile: '91090002' },
  // Replies after the first SMS: no longer OTUK, so no second.
  cato: { id: nextId('2030-03-12'), first: 'Cato', last: 'Dal', mobile: '91090003' },
  // Without a mobile: neither SMS.
  dina: { id: nextId('2030-04-13'), first: 'Dina', last: 'Eik' },
} satisfies Record<string, TestRow>;
type Youth = keyof typeof youth;

let stack: TestStack;
let gateway: FakeSmsGateway;
let sentOn: string;
let t0: number;

const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const keyOf = (who: Youth, step: 'sms1' | 'sms2') => `${caseOf(who)}:${step}`;
const campaignId = () => `sms-campaign-${YEAR}-12250-${sentOn}`;
const detailOf = async (who: Youth) => (await showCase(stack.pool, stack.client, caseOf(who)))!;
const projected = (who: Youth, stage: CaseStage) =>
  eventually(
    async () => ((await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)])).rows[0]?.stage === stage ? true : undefined),
    `${who} projected as ${stage}`,
  );
/** The calendar of this test: the letters due at once, the campaigns and the year end far off. */
const calendarWith = (sms: { smsAfterLetters: string; secondSmsAfterFirst?: string }) =>
  parseCalendar({
    ...yearInSteps(YEAR, t0, 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
    ...sms,
  });
/** What the campaign's history holds so far: whether it is asleep on a timer. */
async function campaignAsleep(): Promise<boolean> {
  const history = await stack.client.workflow.getHandle(campaignId()).fetchHistory();
  const events = history.events ?? [];
  const started = events.filter((e) => e.timerStartedEventAttributes).length;
  const ended = events.filter((e) => e.timerFiredEventAttributes || e.timerCanceledEventAttributes).length;
  return started > ended;
}

beforeAll(async () => {
  gateway = await startFakeSmsGateway({ lateMs: 1500 });
  stack = await openStack({
    taskQueue: 'second-sms',
    sms: { provider: 'http', url: gateway.url, user: gateway.user, password: gateway.password, sender: 'OT Vestland', timeoutMs: 1000 },
  });
  await stack.startWorker();
  // The generated ids are born in 2030: lift the age limit so that they are in this late cohort's target group.
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 99) ON CONFLICT (school_year) DO UPDATE SET age_limit = 99', [
    YEAR,
  ]);
  t0 = Date.now();
  // The SMS an hour after the letters, the second SMS an hour after it: the campaign sleeps until a calendar change.
  await setCalendar(stack, YEAR, calendarWith({ smsAfterLetters: 'PT1H', secondSmsAfterFirst: 'PT1H' }));
  const rows: TestRow[] = Object.values(youth);
  await (await submitImport(stack, { fileName: 'second-sms.csv', content: transferFile(rows), schoolYear: YEAR, strict: false })).result();
  for (const who of Object.keys(youth) as Youth[]) await projected(who, 'letterDue');
  await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by, outDir });
  sentOn = new Date().toISOString();
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: '12250', osCode: 'OSON', sentOn, by });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await gateway?.close();
});

describe('a calendar change wakes the sleeping SMS campaign', () => {
  it('sends the first SMS once the calendar moves it earlier, not at the hour it was waiting for', async () => {
    await eventually(async () => ((await campaignAsleep()) ? true : undefined), 'the SMS campaign to sleep until its SMS');
    expect(gateway.keys()).toEqual([]);
    await setCalendar(stack, YEAR, calendarWith({ smsAfterLetters: 'PT2S', secondSmsAfterFirst: 'PT1H' }));
    for (const who of ['ada', 'bo', 'cato'] as const) await projected(who, 'smsSent');
    for (const who of ['ada', 'bo', 'cato'] as const) expect(gateway.stats(keyOf(who, 'sms1')).deliveries).toBe(1);
    expect(gateway.stats(keyOf('ada', 'sms1')).bodies[0]).toContain('Vi sendte deg et brev');
    await projected('dina', 'noMobile');
  });
});

describe('the second SMS', () => {
  it('goes, once the calendar moves it earlier too, to those still OTUK with a mobile, from its own template', async () => {
    await registerAction(stack.pool, stack.client, caseOf('cato'), { type: 'REPLY', channel: 'phone', by: 'Kari Kontor' });
    await projected('cato', 'contactEstablished');
    // Asleep again, now until the second SMS: nothing of the second round has gone.
    await eventually(async () => ((await campaignAsleep()) ? true : undefined), 'the SMS campaign to sleep until the second SMS');
    expect(gateway.keys().filter((k) => k.endsWith(':sms2'))).toEqual([]);

    await setCalendar(stack, YEAR, calendarWith({ smsAfterLetters: 'PT2S', secondSmsAfterFirst: 'PT3S' }));
    const result: SmsCampaignResult = await stack.client.workflow.getHandle(campaignId()).result();
    expect(result).toMatchObject({ sent: 3, failed: 0, queued: 0, noMobile: 1, second: { sent: 2, failed: 0, queued: 0, already: 0 } });

    // Exactly once per case: by the idempotency key (one row each) and by what reached the handset.
    const stored = await stack.pool.query(`SELECT message_key, status, body FROM sms_messages WHERE school_year = $1 AND step = 'sms2' ORDER BY 1`, [
      YEAR,
    ]);
    expect(stored.rows.map((r) => r.message_key)).toEqual([keyOf('ada', 'sms2'), keyOf('bo', 'sms2')].sort());
    for (const who of ['ada', 'bo'] as const) {
      const stats = gateway.stats(keyOf(who, 'sms2'));
      expect([who, stats.deliveries, stats.postsAfterAnswer]).toEqual([who, 1, 0]);
      expect(stats.delivered!.body).toContain('Hei igjen');
      // Its own key, apart from the first SMS's: that one went once as well.
      expect(gateway.stats(keyOf(who, 'sms1')).deliveries).toBe(1);
    }
    expect(gateway.keys()).not.toContain(keyOf('cato', 'sms2'));
    expect(gateway.keys().filter((k) => k.startsWith(caseOf('dina')))).toEqual([]);
  });

  it('is journalled on each case once, and counted', async () => {
    for (const who of ['ada', 'bo'] as const) {
      const d = await eventually(async () => {
        const detail = await detailOf(who);
        return detail.journal.some((e) => e.event === 'SECOND_SMS_SENT') ? detail : undefined;
      }, `${who}'s second SMS journalled`);
      expect(d.stage).toBe('smsSent');
      expect(d.journal.filter((e) => e.event === 'SECOND_SMS_SENT')).toHaveLength(1);
    }
    // A repeated signal (a retried page, a confirmation) records nothing more.
    await stack.client.workflow
      .getHandle(youthCaseWorkflowId(YEAR, caseOf('ada')))
      .signal(secondSmsSentSignal, { sentOn: new Date().toISOString(), operator: by });
    const counters = await eventually(async () => {
      const c = await flowCounters(stack.pool, YEAR, ['12250']);
      return c.units['12250']?.secondSmsSent === 2 ? c : undefined;
    }, 'the second SMS counted');
    expect(counters.units['12250']).toMatchObject({ smsSent: 3, secondSmsSent: 2 });
    const again = await detailOf('ada');
    expect(again.journal.filter((e) => e.event === 'SECOND_SMS_SENT')).toHaveLength(1);
    expect((await detailOf('cato')).journal.some((e) => e.event === 'SECOND_SMS_SENT')).toBe(false);
  });

  it('sends nothing again when the second round is run again by hand', async () => {
    const posts = () => (['ada', 'bo'] as const).reduce((n, who) => n + gateway.stats(keyOf(who, 'sms2')).posts, 0);
    const before = posts();
    const again = await runSmsCampaign(stack, { schoolYear: YEAR, unit: '12250', by, second: true });
    expect(again.second).toMatchObject({ sent: 0, queued: 0, failed: 0, already: 2 });
    expect(posts()).toBe(before);
  });
});
