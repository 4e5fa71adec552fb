import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { registerPlan, registerReview } from '../../client/use-cases/follow-up-plans';
import { journalOf } from '../../db/case-journal';
import { parseCalendar } from '../../domain/calendar-settings';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { startFakeSmsGateway } from '../../bench/fake-sms-gateway';
import { setCalendar } from '../../client/use-cases/calendar';
import { registerCall } from '../../client/use-cases/call-lists';
import { registerAction, registerContact, registerReturnedLetter } from '../../client/use-cases/case-actions';
import { submitImport } from '../../client/use-cases/cohort-import';
import { runCrosscheck } from '../../client/use-cases/crosscheck';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { runSmsCampaign } from '../../client/use-cases/sms-campaign';
import { exportOutbox } from '../../activities/sms-delivery';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { withCalendarValue } from '../../workflows/calendar';
import type { CaseStage } from '../../workflows/youth-case/machine';
import type { CaseState } from '../../workflows/youth-case/view';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { youthCaseWorkflowId, caseViewQuery, lettersSentSignal } from '../../workflows/contracts/youth-case';
import { type ReportSnapshotWorkflow } from '../../workflows/contracts/report-snapshot';
import { dataConverterOf, decryptPayload, isEncrypted } from '../../runtime/payload-codec';
import { parsePayloadKeys } from '../../runtime/payload-keys';
import type { PayloadKeyRing } from '../../schemas/config';
import type { Payload } from '@temporalio/common';

/**
 * Histories recorded from real runs replay against today's workflow code: a change that would break
 * running cases fails here. Record new ones with RECORD_HISTORIES=1 after a deliberate, versioned change.
 */
const DIR = path.join(__dirname, '..', 'replay', 'histories');
const recording = Boolean(process.env.RECORD_HISTORIES);

/**
 * The payload key of recordings: committed (test/replay/payload-keys, a test key and no secret), so a
 * recording's encrypted payloads replay in every later run. The histories recorded before the payload
 * codec hold plaintext payloads, which the codec passes through as they are.
 */
const KEYS_FILE = path.join(__dirname, '..', 'replay', 'payload-keys');
const REPLAY_KEYS: PayloadKeyRing = { keys: parsePayloadKeys(readFileSync(KEYS_FILE, 'utf8'), KEYS_FILE), source: { kind: 'file', file: KEYS_FILE } };

/** Not used by any other test: the recording shares the dev server and database with them. */
const YEAR = 2027;
/** Seconds per step of the compressed calendar: generous, so a busy two-core machine keeps up. */
const U = 3;

/**
 * Eleven digits standing alone, as a national id (fødselsnummer, D-number or a fictitious id) would be
 * written; digits inside hex case ids, run ids and 13-digit epoch milliseconds are no national id.
 */
const NATIONAL_ID = /(?<![0-9A-Za-z])\d{6}\s?\d{5}(?![0-9A-Za-z])/;

/**
 * Every string of a history, payload bytes read as the UTF-8 JSON they hold. Not JSON.stringify: the
 * protobuf classes' toJSON writes bytes as base64, which would hide every payload from the check.
 */
function historyText(history: temporal.api.history.v1.IHistory): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    // An encrypted payload is read as what it holds: the check below must see the plaintext.
    else if (value && typeof value === 'object' && 'metadata' in value && isEncrypted(value as Payload))
      walk(decryptPayload(value as Payload, REPLAY_KEYS));
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(history);
  return parts.join('\n');
}

const iso = (ms: number) => new Date(ms).toISOString();
/** A plan's review date on a compressed year: a moment in Oslo time. */
const reviewMoment = (ms: number) => DateTime.fromMillis(ms, { zone: CAMPAIGN_ZONE }).toISO({ suppressMilliseconds: true })!;

(recording ? it : it.skip)(
  'records histories of a whole school year: every kind of case, the import and the mass operations',
  async () => {
    const stack: TestStack = await openStack({ taskQueue: 'replay-recording', payloadKeys: REPLAY_KEYS });
    try {
      await stack.startWorker();
      const nextId = idFactory();
      /** One youth per final situation; the key names the recorded history. */
      const youth = {
        /** OSON with a mobile: letter, recode, SMS, autumn phone campaign, reply, outcome OTAR. */
        resolved: { id: nextId('2009-01-10'), mobile: '91234567' },
        /** OSON without a mobile: never reached; a mobile registered between the campaigns; carried over still OTUK. */
        carriedOver: { id: nextId('2009-02-11') },
        /** Claimed by a caseworker while its letter was due, so left out of the mailing. */
        claimed: { id: nextId('2009-03-12'), mobile: '92345678' },
        /** On the private-school cross-check list. */
        crosschecked: { id: nextId('2009-04-13') },
        /** OSUT: its letter date moves, the letter comes back twice (second address, then none), a new address, then OTOV. */
        letterReturned: {
          id: nextId('2009-05-14'),
          os: 'OSUT',
          mobile: '93456789',
          address2: ['Nygata 2', '5017', 'Bergen'] as [string, string, string],
        },
        /** A fictitious id and no address. */
        feil: { id: '88888888888', address: null },
        /** Washed out of the target group (moved abroad). */
        notInTargetGroup: { id: nextId('2009-06-15'), status: 'OTFU' },
        /** No address at first: the admissions office finds one, then the letter goes. */
        needsAddressThenLetter: { id: nextId('2009-07-16'), address: null },
      };
      type Youth = keyof typeof youth;
      const caseId = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
      const handleOf = (who: Youth) => stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR, caseId(who)));
      const detailOf = (who: Youth): Promise<CaseState> => handleOf(who).query(caseViewQuery);
      const reached = (who: Youth, stage: CaseStage) =>
        eventually(async () => {
          const d = await detailOf(who);
          return d.stage === stage ? d : undefined;
        }, `${who} to reach ${stage}`);
      /** Mailings are drawn from the read model: wait until it shows the stage, not only the workflow. */
      const projected = (who: Youth, stage: CaseStage) =>
        eventually(async () => {
          const r = await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseId(who)]);
          return r.rows[0]?.stage === stage ? true : undefined;
        }, `${who} to be projected as ${stage}`);
      /**
       * A unit's mailing printed (or sent through the outbox and exported) and confirmed sent now; its
       * workflow id is the one client/mailings.ts gives it.
       */
      const mailing = async (kind: 'letters' | 'sms', osCode?: string) => {
        if (kind === 'letters')
          await printLetterBatch(stack, {
            schoolYear: YEAR,
            unit: '12250',
            osCode: osCode!,
            by: 'Kari Kontor',
            outDir: mkdtempSync(path.join(tmpdir(), 'ot-replay-')),
          });
        else {
          await runSmsCampaign(stack, { schoolYear: YEAR, unit: '12250', by: 'Siri Systemansvarleg' });
          await exportOutbox(stack.pool, { schoolYear: YEAR, unit: '12250' });
        }
        const sentOn = iso(Date.now());
        const result = await confirmMailing(stack, { kind, schoolYear: YEAR, unit: '12250', osCode, sentOn, by: 'Siri Systemansvarleg' });
        return { ...result, sentOn, workflowId: `mailing-${kind}-${YEAR}-12250${osCode ? `-${osCode}` : ''}-${sentOn}` };
      };

      // August: the compressed calendar, then the import.
      const t0 = Date.now();
      await setCalendar(
        stack,
        YEAR,
        yearInSteps(YEAR, t0, U * 1000, { otherLetters: 16, autumnCampaign: [8, 11], winterCampaign: [14, 16], schoolYearEnd: 19 }),
      );
      const importHandle = await submitImport(stack, {
        fileName: 'replay.csv',
        content: transferFile(Object.values(youth)),
        schoolYear: YEAR,
        strict: false,
      });
      await importHandle.result();
      for (const who of ['resolved', 'carriedOver', 'claimed', 'crosschecked'] as const) await projected(who, 'letterDue');
      expect((await detailOf('letterReturned')).stage).toBe('awaitingLetter');
      expect((await detailOf('feil')).stage).toBe('feil');
      expect((await detailOf('notInTargetGroup')).stage).toBe('notInTargetGroup');
      expect((await detailOf('needsAddressThenLetter')).stage).toBe('needsAddress');

      // Before the letters: a claim, a cross-check and an address from the admissions office.
      await registerAction(stack.pool, stack.client, caseId('claimed'), {
        type: 'CLAIM',
        status: 'OTOV',
        caseworker: 'Nils Rådgjevar',
        by: 'Nils Rådgjevar',
        note: 'kjenner familien',
      });
      const report = await runCrosscheck(stack, YEAR, 'private-school', [{ line: 2, nationalId: youth.crosschecked.id }], 'Siri Systemansvarleg');
      expect(report.recoded).toHaveLength(1);
      await reached('crosschecked', 'notInTargetGroup');
      await registerContact(
        stack.pool,
        stack.client,
        caseId('needsAddressThenLetter'),
        { kind: 'address', address: { street: 'Kong Oscars gate 5', postcode: '5017', city: 'Bergen' } },
        { source: 'admissions-office', by: 'Kari Kontor' },
      );
      await projected('needsAddressThenLetter', 'letterDue');

      // September: the OSON letters and the mass recode to OTUK.
      const letters = await mailing('letters', 'OSON');
      expect(letters).toMatchObject({ cases: 3, signalled: 3 });
      for (const who of ['resolved', 'carriedOver', 'needsAddressThenLetter'] as const) await reached(who, 'letterSent');

      // A calendar change mid-year: the OSUT letters move to now.
      const current = (await stack.pool.query('SELECT calendar FROM cohorts WHERE school_year = $1', [YEAR])).rows[0].calendar;
      const changed = await setCalendar(stack, YEAR, withCalendarValue(current, 'letters.OSUT', iso(Date.now() + 1000))!);
      expect(changed.version).toBe(2);
      await projected('letterReturned', 'letterDue');
      expect(await mailing('letters', 'OSUT')).toMatchObject({ cases: 1, signalled: 1 });
      await reached('letterReturned', 'letterSent');

      // The SMS after the letters: those with a mobile get it, the rest are noted.
      await projected('resolved', 'smsDue');
      await reached('carriedOver', 'noMobile');
      await reached('needsAddressThenLetter', 'noMobile');
      const sms = await mailing('sms');
      expect(sms.signalled).toBeGreaterThanOrEqual(1);
      await reached('resolved', 'smsSent');

      // The OSUT letter comes back: sent to the second address, comes back again, a new address from NAV.
      await registerReturnedLetter(stack.pool, stack.client, caseId('letterReturned'), { by: 'Kari Kontor' });
      // A return counts once per printed letter: the letter goes to the second address before it can come back from there.
      await eventually(async () => {
        const r = await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [caseId('letterReturned')]);
        return r.rows[0]?.letter_returns === 1 ? true : undefined;
      }, 'the return projected');
      await printLetterBatch(stack, {
        schoolYear: YEAR,
        unit: '12250',
        osCode: 'OSUT',
        by: 'Kari Kontor',
        outDir: mkdtempSync(path.join(tmpdir(), 'ot-replay-')),
      });
      const twice = await registerReturnedLetter(stack.pool, stack.client, caseId('letterReturned'), {
        by: 'Kari Kontor',
        note: 'ukjend på adressa',
      });
      expect(twice.letter).toMatchObject({ returns: 2, awaitingAddress: true });
      const fixed = await registerContact(
        stack.pool,
        stack.client,
        caseId('letterReturned'),
        { kind: 'address', address: { street: 'Fjøsanger 9', postcode: '5063', city: 'Bergen' } },
        { source: 'nav', by: 'Nils Rådgjevar' },
      );
      expect(fixed.letter).toMatchObject({ returns: 2, awaitingAddress: false });

      // November: the autumn phone campaign; a reply, then outcomes. A note holding a national id is refused, so never recorded.
      await reached('resolved', 'phoneCampaign');
      await reached('carriedOver', 'phoneCampaign');
      await reached('letterReturned', 'phoneCampaign');
      await expect(
        registerAction(stack.pool, stack.client, caseId('resolved'), {
          type: 'REPLY',
          channel: 'phone',
          by: 'Kari Kontor',
          note: `fnr ${youth.resolved.id}`,
        }),
      ).rejects.toThrow(/national id/);
      // Calls first: one that reached nobody, and one that found the mobile wrong.
      await registerCall(stack.pool, stack.client, caseId('resolved'), { result: 'notReached', note: 'ring igjen i morgon' }, { by: 'Kari Kontor' });
      expect(await registerCall(stack.pool, stack.client, caseId('letterReturned'), { result: 'wrongNumber' }, { by: 'Kari Kontor' })).toMatchObject({
        flags: expect.arrayContaining(['wrongNumber']),
      });
      await registerAction(stack.pool, stack.client, caseId('resolved'), {
        type: 'REPLY',
        channel: 'phone',
        forwardTo: 'Nils Rådgjevar',
        by: 'Kari Kontor',
        note: 'vil ha rettleiing',
      });
      expect(
        await registerAction(stack.pool, stack.client, caseId('resolved'), {
          type: 'OUTCOME',
          status: 'OTAR',
          channel: 'phone',
          by: 'Nils Rådgjevar',
        }),
      ).toMatchObject({ stage: 'resolved' });
      expect(
        await registerAction(stack.pool, stack.client, caseId('letterReturned'), {
          type: 'OUTCOME',
          status: 'OTOV',
          channel: 'drop-in',
          by: 'Nils Rådgjevar',
        }),
      ).toMatchObject({ stage: 'underFollowUp' });

      // After the autumn campaign a mobile turns up for the unknown youth; the winter campaign takes it, then lets it go.
      await reached('carriedOver', 'noMobile');
      await registerContact(
        stack.pool,
        stack.client,
        caseId('carriedOver'),
        { kind: 'mobile', mobile: '+4794567890' },
        { source: 'youth', by: 'Kari Kontor' },
      );
      expect((await reached('carriedOver', 'phoneCampaign')).phoneCampaign).toBe('winter');
      await reached('carriedOver', 'smsDue');

      // A report snapshot as its schedule starts it: the June report moved to a moment just ahead, so it waits for it.
      const june = (await stack.pool.query('SELECT calendar FROM cohorts WHERE school_year = $1', [YEAR])).rows[0].calendar;
      await setCalendar(stack, YEAR, withCalendarValue(june, 'reports.june', iso(Date.now() + 2000))!);
      const snapshot = await stack.client.workflow.start<ReportSnapshotWorkflow>('reportSnapshot', {
        workflowId: `report-${YEAR}-june-recorded`,
        taskQueue: stack.config.taskQueue,
        args: [{ schoolYear: YEAR, report: 'june', settleSeconds: 1 }],
      });
      expect(await snapshot.result()).toMatchObject({ created: true, total: Object.keys(youth).length });

      // The year end closes every case; only now are their histories complete.
      const finals = Object.fromEntries(
        await Promise.all((Object.keys(youth) as Youth[]).map(async (who) => [who, await handleOf(who).result()] as const)),
      ) as Record<Youth, CaseState>;
      expect(Object.fromEntries(Object.entries(finals).map(([who, d]) => [who, [d.stage, d.otStatus]]))).toEqual({
        resolved: ['closed', 'OTAR'],
        carriedOver: ['closed', 'OTUK'],
        claimed: ['closed', 'OTOV'],
        crosschecked: ['closed', 'OTVF_IM'],
        letterReturned: ['closed', 'OTOV'],
        feil: ['closed', 'Feil'],
        notInTargetGroup: ['closed', 'OTFU_IM'],
        needsAddressThenLetter: ['closed', 'OTUK'],
      });

      const campaign = stack.client.workflow.getHandle(`sms-campaign-${YEAR}-12250-${letters.sentOn}`);
      expect(await campaign.result()).toMatchObject({ failed: 0 });
      const crosscheckId = await eventually(async () => {
        const ids: string[] = [];
        for await (const w of stack.client.workflow.list({ query: 'WorkflowType = "crosscheck"' }))
          if (w.workflowId.startsWith(`crosscheck-${YEAR}-`)) ids.push(w.workflowId);
        return ids.length === 1 ? ids[0] : undefined;
      }, 'the cross-check workflow to be listed');
      const histories: [string, { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }][] = [
        ['cohort-import', importHandle],
        ...(Object.keys(youth) as Youth[]).map((who) => [`youth-case-${who}`, handleOf(who)] as [string, ReturnType<typeof handleOf>]),
        ['mailing-confirm', stack.client.workflow.getHandle(letters.workflowId)],
        // Started by the OSON letters mailing: it waited for the SMS date, then sent through the outbox.
        ['sms-campaign', campaign],
        ['calendar-broadcast', stack.client.workflow.getHandle(`calendar-${YEAR}-v${changed.version}`)],
        ['crosscheck', stack.client.workflow.getHandle(crosscheckId)],
        ['report-snapshot', snapshot],
      ];
      mkdirSync(DIR, { recursive: true });
      const nationalIds = Object.values(youth).map((y) => y.id);
      // Notes live in PostgreSQL: the cases carry their ids, so no history holds a note's text (the refused one included).
      const noteTexts = ['kjenner familien', 'ukjend på adressa', 'ring igjen i morgon', 'vil ha rettleiing'];
      for (const [name, handle] of histories) {
        const history = await handle.fetchHistory();
        // Stored as the protobuf bytes the server sent: the SDK's JSON reader trips over the two copies of protobufjs npm installs.
        const bytes = temporal.api.history.v1.History.encode(history).finish();
        const text = historyText(history) + Buffer.from(bytes).toString('latin1');
        expect([name, nationalIds.filter((id) => text.includes(id))]).toEqual([name, []]);
        expect([name, noteTexts.filter((note) => text.includes(note))]).toEqual([name, []]);
        writeFileSync(path.join(DIR, `${name}.binpb`), bytes);
      }
    } finally {
      await stack.close();
    }
  },
  300_000,
);

/** Issue 16's recording: its own school year (of this helper's range), apart from the whole year's above. */
const YEAR_16 = 2110;

(recording ? it : it.skip)(
  'records histories of issue 16: a case that ages out, a follow-up plan due and overdue, and an SMS campaign woken twice with a second SMS',
  async () => {
    const gateway = await startFakeSmsGateway({ lateMs: 1500 });
    const stack: TestStack = await openStack({
      taskQueue: 'replay-recording-16',
      payloadKeys: REPLAY_KEYS,
      sms: { provider: 'http', url: gateway.url, user: gateway.user, password: gateway.password, sender: 'OT Vestland', timeoutMs: 1000 },
    });
    try {
      await stack.startWorker();
      const nextId = idFactory();
      const nils = 'Nils Rådgjevar';
      /**
       * Test ids are born by 2039 at the latest: the cohort's age limit is lifted to 72, so one born in 2038 is at the
       * limit (leaves on 1 January under the calendar-year rule, the default of this school year) and 2039 in the group.
       */
      const youth = {
        /** OTUK with a mobile: both SMS, then leaves the target group at 1 January by its own timer. */
        agedOut: { id: nextId('2038-12-31'), first: 'Sylvi', last: 'Nyttårsaftan', mobile: '91110001' },
        /** OTUK with a mobile, in the group all year: both SMS, the second by its own key. */
        secondSms: { id: nextId('2039-03-03'), first: 'Bo', last: 'Andresms', mobile: '91110002' },
        /** Under follow-up from the washing: a plan, its review due, then overdue, then registered. */
        followUpPlan: { id: nextId('2039-05-05'), first: 'Pia', last: 'Planlagd', caseworker: nils, status: 'OTOV' },
      };
      type Youth = keyof typeof youth;
      const caseId = (who: Youth) => caseIdOf(youth[who].id, YEAR_16, stack.config.caseIdKey);
      const handleOf = (who: Youth) => stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR_16, caseId(who)));
      const projected = (who: Youth, column: 'stage' | 'review_state', value: string) =>
        eventually(async () => {
          const r = await stack.pool.query(`SELECT ${column} AS v FROM cases WHERE case_id = $1`, [caseId(who)]);
          return r.rows[0]?.v === value ? true : undefined;
        }, `${who} to be projected with ${column} ${value}`);
      const HOUR = 3_600_000;
      const sms = { smsAfterLetters: 'PT1H', secondSmsAfterFirst: 'PT1H', reviewOverdueAfter: 'PT4S' };
      /** Every date but the OSON letters hours away, so a slow import cannot miss one; the SMS an hour after the letters. */
      const far = parseCalendar({
        ...yearInSteps(YEAR_16, Date.now(), HOUR, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], ageOut: 6, schoolYearEnd: 8 }),
        ...sms,
      });
      await setCalendar(stack, YEAR_16, far);
      await stack.pool.query('UPDATE cohorts SET age_limit = 72 WHERE school_year = $1', [YEAR_16]);
      const importHandle = await submitImport(stack, {
        fileName: 'replay-16.csv',
        content: transferFile(Object.values(youth)),
        schoolYear: YEAR_16,
        strict: true,
      });
      await importHandle.result();
      for (const who of ['agedOut', 'secondSms'] as const) await projected(who, 'stage', 'letterDue');
      await projected('followUpPlan', 'stage', 'caseworkerFollowUp');
      const agesOut = await handleOf('agedOut').describe();
      expect(agesOut.memo).toMatchObject({ agesOutOn: `${YEAR_16 + 1}-01-01` });

      // The letters, whose confirmation starts the SMS campaign: asleep an hour until its SMS.
      const by = 'Siri Systemansvarleg';
      await printLetterBatch(stack, {
        schoolYear: YEAR_16,
        unit: '12250',
        osCode: 'OSON',
        by,
        outDir: mkdtempSync(path.join(tmpdir(), 'ot-replay-')),
      });
      const sentOn = iso(Date.now());
      await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR_16, unit: '12250', osCode: 'OSON', sentOn, by });
      const campaign = stack.client.workflow.getHandle(`sms-campaign-${YEAR_16}-12250-${sentOn}`);
      const asleep = async () => {
        const events = (await campaign.fetchHistory()).events ?? [];
        const started = events.filter((e) => e.timerStartedEventAttributes).length;
        const ended = events.filter((e) => e.timerFiredEventAttributes || e.timerCanceledEventAttributes).length;
        return started > ended ? true : undefined;
      };
      await eventually(asleep, 'the SMS campaign asleep until its SMS');

      // A calendar change moves the SMS earlier and wakes the campaign (wake-sms-campaigns, sms-campaign-wakes-on-calendar).
      const woken = await setCalendar(stack, YEAR_16, { ...far, smsAfterLetters: 'PT2S' });
      for (const who of ['agedOut', 'secondSms'] as const) await projected(who, 'stage', 'smsSent');

      // The plan, its review due on the case's own timer, then overdue; then a review gives the next date.
      const reviewAt = Date.now() + 3000;
      const planned = await registerPlan(
        stack.pool,
        stack.client,
        caseId('followUpPlan'),
        {
          goal: 'Fullføre Vg2 elektro',
          measures: [{ what: 'Arbeidstrening tre dagar i veka', responsible: 'NAV', from: `${YEAR_16}-09-01`, to: `${YEAR_16 + 1}-03-31` }],
          reviewDates: [reviewMoment(reviewAt)],
        },
        { by: nils },
      );
      expect(planned.next?.event).toBe('REVIEW_DUE');
      await projected('followUpPlan', 'review_state', 'due');
      await projected('followUpPlan', 'review_state', 'overdue');
      await registerReview(
        stack.pool,
        stack.client,
        caseId('followUpPlan'),
        { note: 'møttest på kontoret', nextReview: reviewMoment(Date.now() + HOUR) },
        { by: nils },
      );
      await projected('followUpPlan', 'review_state', 'planned');

      // Asleep again until the second SMS; another change moves it earlier: both still OTUK get it once.
      await eventually(asleep, 'the SMS campaign asleep until the second SMS');
      await setCalendar(stack, YEAR_16, { ...far, smsAfterLetters: 'PT2S', secondSmsAfterFirst: 'PT3S' });
      expect(await campaign.result()).toMatchObject({ sent: 2, failed: 0, second: { sent: 2, failed: 0 } });

      // The year in seconds from now: the phone campaigns, then 1 January (the age-out) and the year end.
      await setCalendar(stack, YEAR_16, {
        ...yearInSteps(YEAR_16, Date.now() + 2000, 2000, {
          otherLetters: 0,
          autumnCampaign: [1, 2],
          winterCampaign: [4, 5],
          ageOut: 3,
          schoolYearEnd: 7,
        }),
        smsAfterLetters: 'PT2S',
        secondSmsAfterFirst: 'PT3S',
        reviewOverdueAfter: 'PT4S',
      });
      await projected('agedOut', 'stage', 'agedOut');
      const finals = Object.fromEntries(
        await Promise.all((Object.keys(youth) as Youth[]).map(async (who) => [who, await handleOf(who).result()] as const)),
      ) as Record<Youth, CaseState>;
      expect(Object.fromEntries(Object.entries(finals).map(([who, d]) => [who, [d.stage, d.otStatus]]))).toEqual({
        agedOut: ['closed', 'ALDER_IM'],
        secondSms: ['closed', 'OTUK'],
        followUpPlan: ['closed', 'OTOV'],
      });
      const journal = await journalOf(stack.pool, caseId('agedOut'));
      expect(journal.map((e) => e.event)).toEqual(expect.arrayContaining(['SMS_SENT', 'SECOND_SMS_SENT', 'AGED_OUT']));
      expect((await journalOf(stack.pool, caseId('followUpPlan'))).map((e) => e.event)).toEqual(
        expect.arrayContaining(['PLAN', 'REVIEW_DUE', 'REVIEW_OVERDUE', 'REVIEW']),
      );

      const histories: [string, { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }][] = [
        ['youth-case-agedOut', handleOf('agedOut')],
        ['youth-case-secondSms', handleOf('secondSms')],
        ['youth-case-followUpPlan', handleOf('followUpPlan')],
        // Woken by two calendar changes: the SMS moved earlier, then the second SMS.
        ['sms-campaign-second-round', campaign],
        // The broadcast whose last step woke the sleeping campaign.
        ['calendar-broadcast-wakes-sms-campaign', stack.client.workflow.getHandle(`calendar-${YEAR_16}-v${woken.version}`)],
      ];
      const nationalIds = Object.values(youth).map((y) => y.id);
      // The names, the plan's text and the review's note live in PostgreSQL only.
      const plaintexts = ['Sylvi', 'Nyttårsaftan', 'Andresms', 'Planlagd', 'Fullføre Vg2', 'Arbeidstrening', 'møttest på kontoret'];
      for (const [name, handle] of histories) {
        const history = await handle.fetchHistory();
        const bytes = temporal.api.history.v1.History.encode(history).finish();
        const text = historyText(history) + Buffer.from(bytes).toString('latin1');
        expect([name, nationalIds.filter((id) => text.includes(id))]).toEqual([name, []]);
        expect([name, plaintexts.filter((t) => text.includes(t))]).toEqual([name, []]);
        writeFileSync(path.join(DIR, `${name}.binpb`), bytes);
      }
    } finally {
      await stack.close();
      await gateway.close();
    }
  },
  300_000,
);

/** Stop 24's recording: its own school year, apart from the others. */
const YEAR_24 = 2115;

(recording ? it : it.skip)(
  'records the history of a case claimed while its letter went: the mailing chose it from a read model that had not caught up',
  async () => {
    const stack: TestStack = await openStack({ taskQueue: 'replay-recording-24', payloadKeys: REPLAY_KEYS });
    try {
      await stack.startWorker();
      const nils = 'Nils Rådgjevar';
      const youth = { id: idFactory()('2039-06-06'), first: 'Cato', last: 'Kryssbrev' };
      const caseId = caseIdOf(youth.id, YEAR_24, stack.config.caseIdKey);
      const handle = stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR_24, caseId));
      const HOUR = 3_600_000;
      await setCalendar(
        stack,
        YEAR_24,
        yearInSteps(YEAR_24, Date.now(), HOUR, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
      );
      // Test ids are born by 2039: the age limit is lifted so the youth is in the target group in this school year.
      await stack.pool.query('UPDATE cohorts SET age_limit = 80 WHERE school_year = $1', [YEAR_24]);
      await (await submitImport(stack, { fileName: 'replay-24.csv', content: transferFile([youth]), schoolYear: YEAR_24, strict: true })).result();
      await eventually(async () => {
        const r = await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseId]);
        return r.rows[0]?.stage === 'letterDue' ? true : undefined;
      }, 'the letter due');
      await registerAction(stack.pool, stack.client, caseId, { type: 'CLAIM', status: 'OTOV', caseworker: nils, by: nils });
      // What the mailing's signal step sends to each case it chose, twice: its activity was retried after the first went.
      const letters = { sentOn: iso(Date.now()), batchId: 'mailing-replay-24', operator: 'Siri Systemansvarleg' };
      await handle.signal(lettersSentSignal, letters);
      await handle.signal(lettersSentSignal, letters);
      await setCalendar(
        stack,
        YEAR_24,
        yearInSteps(YEAR_24, Date.now() + 2000, 2000, { otherLetters: 0, autumnCampaign: [0, 1], winterCampaign: [1, 2], schoolYearEnd: 3 }),
      );
      expect(await handle.result()).toMatchObject({ stage: 'closed', otStatus: 'OTOV' });
      const journal = await journalOf(stack.pool, caseId);
      expect(journal.filter((e) => e.event === 'LETTERS_SENT')).toHaveLength(1);

      const history = await handle.fetchHistory();
      const bytes = temporal.api.history.v1.History.encode(history).finish();
      const text = historyText(history) + Buffer.from(bytes).toString('latin1');
      expect([text.includes(youth.id), text.includes('Kryssbrev')]).toEqual([false, false]);
      writeFileSync(path.join(DIR, 'youth-case-letterAfterClaim.binpb'), bytes);
    } finally {
      await stack.close();
    }
  },
  300_000,
);

describe('the recorded histories', () => {
  // Read when each test runs, after a recording in the same run has written them.
  const files = () =>
    readdirSync(DIR)
      .filter((f) => f.endsWith('.binpb'))
      .sort();
  const histories = () =>
    files().map((f) => {
      const bytes = readFileSync(path.join(DIR, f));
      return { workflowId: f.replace(/\.binpb$/, ''), bytes, history: temporal.api.history.v1.History.decode(bytes) };
    });

  it('replay with the current workflow code', async () => {
    expect(files().length).toBeGreaterThanOrEqual(23);
    const results = [];
    const replayed = histories().map(({ workflowId, history }) => ({ workflowId, history }));
    // With the codec, as the worker runs: plaintext payloads of older recordings pass through it as they are.
    const options = { workflowsPath: require.resolve('../../workflows'), dataConverter: dataConverterOf(REPLAY_KEYS) };
    for await (const result of Worker.runReplayHistories(options, replayed)) results.push(result);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
    expect(results).toHaveLength(files().length);
  });

  it('hold no national id number', () => {
    // The decoded strings and payloads, and the raw bytes as well, in case a field is not decoded at all.
    const found = histories().map(({ workflowId, history, bytes }) => [
      workflowId,
      `${historyText(history)}\n${bytes.toString('latin1')}`.match(NATIONAL_ID)?.[0] ?? null,
    ]);
    expect(found.filter(([, id]) => id !== null)).toEqual([]);
  });
});
