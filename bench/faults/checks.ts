import { forEachConcurrently } from '../../domain/concurrently';
import { youthCaseWorkflowId, caseViewQuery } from '../../workflows/contracts/youth-case';
import type { FaultStack } from './cluster-stack';

/**
 * What must hold after the campaign year, faults and all. Every figure is counted here from the rows and the workflows
 * themselves, not with the queries the engine uses, so a bug in those cannot hide itself.
 */
export interface Findings {
  cases: number;
  /** Cases that did not reach the year end: workflow not completed, or the read model not closed. */
  lost: string[];
  /** Letters or SMS that went more than once. */
  doubled: string[];
  /** Letters or SMS that went (a mailing's case, a gateway's delivery) and their case never heard of, or the reverse. */
  missing: string[];
  /** Read model against the workflow's own query, snapshots against the journal. */
  mismatches: string[];
  /** Mass operations not completed, mailing cases never signalled. */
  stuck: string[];
  counted: Record<string, number>;
}

const READ_MODEL_FIELDS = ['unit', 'osCode', 'otStatus', 'stage', 'sms', 'flags', 'letterReturns'] as const;

export async function checkYear(s: FaultStack, schoolYear: number, expectedCases: number): Promise<Findings> {
  const f: Findings = { cases: 0, lost: [], doubled: [], missing: [], mismatches: [], stuck: [], counted: {} };
  const { pool, client } = s;
  const persons = (await pool.query<{ case_id: string }>('SELECT case_id FROM persons WHERE school_year = $1 ORDER BY case_id', [schoolYear])).rows;
  f.cases = persons.length;
  if (persons.length !== expectedCases) f.lost.push(`${expectedCases - persons.length} cases of the import have no person row`);

  type CaseRow = {
    case_id: string;
    unit: string;
    os_code: string;
    ot_status: string;
    stage: string;
    sms: string;
    flags: string[];
    letter_returns: number;
  };
  const rows = new Map(
    (await pool.query<CaseRow>('SELECT * FROM cases WHERE school_year = $1', [schoolYear])).rows.map((r) => [r.case_id, r] as const),
  );

  // Every case reached the year end, and the read model holds what the workflow itself says.
  await forEachConcurrently(persons.length, 8, async (i) => {
    const caseId = persons[i].case_id;
    const row = rows.get(caseId);
    if (!row) return void f.lost.push(`${caseId}: no read-model row`);
    const handle = client.workflow.getHandle(youthCaseWorkflowId(schoolYear, caseId));
    const described = await handle.describe().catch((err: Error) => err);
    if (described instanceof Error) return void f.lost.push(`${caseId}: ${described.message}`);
    if (described.status.name !== 'COMPLETED') f.lost.push(`${caseId}: workflow ${described.status.name}`);
    if (row.stage !== 'closed') f.lost.push(`${caseId}: read model in ${row.stage}`);
    const view = await handle.query(caseViewQuery).catch((err: Error) => err);
    if (view instanceof Error) return void f.mismatches.push(`${caseId}: caseView query failed: ${view.message}`);
    const model = {
      unit: row.unit,
      osCode: row.os_code,
      otStatus: row.ot_status,
      stage: row.stage,
      sms: row.sms,
      flags: [...row.flags].sort().join(','),
      letterReturns: row.letter_returns,
    };
    const own = { ...view, flags: [...view.flags].sort().join(','), letterReturns: view.letterReturns ?? 0 };
    for (const k of READ_MODEL_FIELDS)
      if (String(model[k]) !== String(own[k])) f.mismatches.push(`${caseId}: read model ${k} ${model[k]}, workflow ${own[k]}`);
  });

  // Letters: every confirmed round of a case's letter printed once and journalled as sent once.
  const journal = (
    await pool.query<{ case_id: string; event: string; n: string }>(
      `SELECT e.case_id, e.event, count(*) AS n FROM case_events e JOIN persons p USING (case_id) WHERE p.school_year = $1 GROUP BY 1, 2`,
      [schoolYear],
    )
  ).rows;
  const journalled = (event: string) => new Map(journal.filter((r) => r.event === event).map((r) => [r.case_id, Number(r.n)]));
  const lettersSent = journalled('LETTERS_SENT');
  const rounds = new Map(
    (
      await pool.query<{ case_id: string; n: string }>(
        `SELECT l.case_id, count(DISTINCT l.round) AS n FROM letters l JOIN letter_batches b USING (batch_id)
       WHERE b.school_year = $1 AND b.mailing_id IS NOT NULL GROUP BY 1`,
        [schoolYear],
      )
    ).rows.map((r) => [r.case_id, Number(r.n)]),
  );
  const letterMailings = new Map(
    (
      await pool.query<{ case_id: string; n: string }>(
        `SELECT mc.case_id, count(*) AS n FROM mailing_cases mc JOIN mailings m USING (mailing_id)
       WHERE m.school_year = $1 AND m.kind = 'letters' GROUP BY 1`,
        [schoolYear],
      )
    ).rows.map((r) => [r.case_id, Number(r.n)]),
  );
  f.counted.lettersJournalled = [...lettersSent.values()].reduce((a, b) => a + b, 0);
  f.counted.letterRoundsConfirmed = [...rounds.values()].reduce((a, b) => a + b, 0);
  for (const { case_id: id } of persons) {
    const sent = lettersSent.get(id) ?? 0;
    const printed = rounds.get(id) ?? 0;
    const mailed = letterMailings.get(id) ?? 0;
    // A printed letter goes out only if its case is still due when the office confirms the mailing (a case closed by the
    // year end, or claimed, between print and confirm is left out of it): the mailing's cases are what went.
    if (sent > printed) f.doubled.push(`${id}: letters journalled sent ${sent} times, ${printed} rounds printed`);
    if (sent > mailed) f.doubled.push(`${id}: letters journalled sent ${sent} times, in ${mailed} letters mailings`);
    if (sent < mailed) f.missing.push(`${id}: in ${mailed} letters mailings, journalled sent ${sent} times`);
    if (mailed > printed) f.doubled.push(`${id}: in ${mailed} letters mailings, ${printed} rounds printed`);
  }

  // SMS: one row per key in our table; the gateway delivered each accepted key exactly once, and nothing else.
  const sms = (
    await pool.query<{ message_key: string; case_id: string; step: string; status: string }>(
      'SELECT message_key, case_id, step, status FROM sms_messages WHERE school_year = $1',
      [schoolYear],
    )
  ).rows;
  const ours = new Set(sms.map((m) => m.message_key));
  f.counted.smsRows = sms.length;
  f.counted.smsDelivered = 0;
  for (const m of sms) {
    const g = s.gateway.stats(m.message_key);
    f.counted.smsDelivered += g.deliveries;
    // Still 'sending' at the year end: the gateway's delivery report settles one it took, so one it took is missing its
    // answer. One it never took went nowhere; a campaign page tried again picks up every case still on the SMS list, so
    // its case had left the list (replied, reached by phone) before the retry and nothing was owed: counted, not missing.
    if (m.status === 'sending' && g.deliveries > 0) f.missing.push(`${m.message_key}: delivered by the gateway, still sending in our table`);
    if (m.status === 'sending' && g.deliveries === 0)
      f.counted.smsNeverReachedGatewayNoLongerDue = (f.counted.smsNeverReachedGatewayNoLongerDue ?? 0) + 1;
    if ((m.status === 'sent' || m.status === 'delivered') && g.deliveries !== 1)
      f.missing.push(`${m.message_key}: ${m.status} in our table, the gateway delivered it ${g.deliveries} times`);
    if (g.deliveries > 1) f.doubled.push(`${m.message_key}: the gateway delivered it ${g.deliveries} times`);
    // A POST after the gateway wrote its 200 is a retry whose answer was lost (a worker killed, a connection cut before
    // 'sent' was stored): the key keeps it from the handset, so it is counted, not doubled.
    f.counted.smsResentAfterAnswer = (f.counted.smsResentAfterAnswer ?? 0) + g.postsAfterAnswer;
  }
  for (const key of s.gateway.keys()) if (!ours.has(key)) f.doubled.push(`${key}: the gateway got it, our table has no such message`);
  for (const [event, step] of [
    ['SMS_SENT', 'sms1'],
    ['SECOND_SMS_SENT', 'sms2'],
  ] as const) {
    for (const [id, n] of journalled(event)) if (n > 1) f.doubled.push(`${id}: ${event} journalled ${n} times`);
    f.counted[`${step}Journalled`] = [...journalled(event).values()].reduce((a, b) => a + b, 0);
  }

  // No mass operation stuck: every one of them completed, every case of every mailing signalled.
  const massTypes = ['cohortImport', 'mailingConfirm', 'calendarBroadcast', 'smsCampaign', 'reportSnapshot'];
  const byStatus = new Map<string, number>();
  for await (const w of client.workflow.list({ query: `WorkflowType IN (${massTypes.map((t) => `'${t}'`).join(', ')})` })) {
    const key = `${w.type} ${w.status.name}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    if (w.status.name !== 'COMPLETED') f.stuck.push(`${w.type} ${w.workflowId}: ${w.status.name}`);
  }
  for (const [k, n] of byStatus) f.counted[k] = n;
  const unsignalled = await pool.query<{ mailing_id: string; n: string }>(
    `SELECT mc.mailing_id, count(*) AS n FROM mailing_cases mc JOIN mailings m USING (mailing_id)
     WHERE m.school_year = $1 AND NOT mc.signalled GROUP BY 1`,
    [schoolYear],
  );
  for (const r of unsignalled.rows) f.stuck.push(`mailing ${r.mailing_id}: ${r.n} cases never signalled`);

  await checkSnapshots(s, schoolYear, f);
  return f;
}

/**
 * Every stored report snapshot against a count made here from the journal: a case's status at the moment is the
 * last change at or before it, or, before its first change, the status it began with; only cases registered by then.
 */
async function checkSnapshots(s: FaultStack, schoolYear: number, f: Findings): Promise<void> {
  const { pool } = s;
  const snapshots = (
    await pool.query<{ snapshot_id: string; report: string; as_of: Date; counts: { county: { total: number; byCode: Record<string, number> } } }>(
      'SELECT snapshot_id, report, as_of, counts FROM report_snapshots WHERE school_year = $1 ORDER BY as_of',
      [schoolYear],
    )
  ).rows;
  f.counted.snapshots = snapshots.length;
  if (snapshots.length === 0) f.mismatches.push('no report snapshot was stored');
  const events = (
    await pool.query<{ case_id: string; seq: string; at: Date; from_status: string; to_status: string }>(
      `SELECT e.case_id, e.seq, e.at, e.from_status, e.to_status FROM case_events e JOIN persons p USING (case_id) WHERE p.school_year = $1`,
      [schoolYear],
    )
  ).rows;
  const people = (
    await pool.query<{ case_id: string; created_at: Date; ot_status: string }>(
      'SELECT p.case_id, p.created_at, c.ot_status FROM persons p JOIN cases c USING (case_id) WHERE p.school_year = $1',
      [schoolYear],
    )
  ).rows;
  const byCase = new Map<string, typeof events>();
  for (const e of events) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
  for (const list of byCase.values()) list.sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const snap of snapshots) {
    const at = snap.as_of.getTime();
    const mine = new Map<string, string>();
    for (const p of people) {
      if (p.created_at.getTime() > at) continue;
      const list = byCase.get(p.case_id) ?? [];
      let status = list.length ? list[0].from_status : p.ot_status;
      let best: (typeof list)[number] | undefined;
      for (const e of list)
        if (
          e.at.getTime() <= at &&
          (!best || e.at.getTime() > best.at.getTime() || (e.at.getTime() === best.at.getTime() && Number(e.seq) > Number(best.seq)))
        )
          best = e;
      if (best) status = best.to_status;
      mine.set(p.case_id, status);
    }
    const stored = new Map(
      (
        await pool.query<{ case_id: string; status: string }>('SELECT case_id, status FROM report_snapshot_cases WHERE snapshot_id = $1', [
          snap.snapshot_id,
        ])
      ).rows.map((r) => [r.case_id, r.status]),
    );
    let differing = 0;
    for (const [id, status] of mine) if (stored.get(id) !== status) differing++;
    for (const id of stored.keys()) if (!mine.has(id)) differing++;
    if (differing) f.mismatches.push(`snapshot ${snap.report}: ${differing} cases differ from the journal's count`);
    const codes = new Map<string, number>();
    for (const status of mine.values()) codes.set(status, (codes.get(status) ?? 0) + 1);
    const county = snap.counts.county;
    if (county.total !== mine.size) f.mismatches.push(`snapshot ${snap.report}: total ${county.total}, counted ${mine.size}`);
    for (const code of new Set([...codes.keys(), ...Object.keys(county.byCode)]))
      if ((county.byCode[code] ?? 0) !== (codes.get(code) ?? 0))
        f.mismatches.push(`snapshot ${snap.report}: ${code} ${county.byCode[code] ?? 0}, counted ${codes.get(code) ?? 0}`);
    f.counted[`snapshot ${snap.report} cases`] = mine.size;
  }
}
