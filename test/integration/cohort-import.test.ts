import { caseIdOf } from '../../domain/case-id';
import { submitImport } from '../../client/use-cases/cohort-import';
import { registerContact } from '../../client/use-cases/case-actions';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { youthCaseWorkflowId, caseViewQuery } from '../../workflows/contracts/youth-case';

const YEAR = 2031;
let stack: TestStack;
const nextId = idFactory();

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
});
afterAll(() => stack.close());

async function importText(content: string, strict = false) {
  const handle = await submitImport(stack, { fileName: 'transfer.csv', content, schoolYear: YEAR, strict });
  return handle.result();
}

async function projectedCount(): Promise<number> {
  const r = await stack.pool.query('SELECT count(*)::int AS n FROM cases WHERE school_year = $1', [YEAR]);
  return r.rows[0].n;
}

describe('a VIGO transfer becomes one case workflow per accepted row', () => {
  const normal = nextId('2010-03-04');
  const minor = nextId('2013-11-20');
  const noAddress = nextId('2009-05-05');
  const kept = nextId('2008-01-01');
  const abroad = nextId('2008-02-02', true);
  const tooOld = nextId('2005-06-07');
  const fictitiousNoAddress = '99999999999';
  const fictitiousWithAddress = '12345678901';
  const file = transferFile([
    { id: normal, first: 'Øyvind', last: 'Ærø', mobile: '+47 912 34 567' }, // line 2
    { id: minor, os: 'OSUT', guardian: ['Kari Bø', 'Fjellveien 2', '5019', 'Bergen'] }, // 3
    { id: noAddress, address: null }, // 4
    { id: kept, caseworker: 'Nils Rådgjevar', status: 'OTOV' }, // 5
    { id: abroad, status: 'OTFU', caseworker: 'Nils Rådgjevar' }, // 6
    { id: tooOld }, // 7: born 2005, in 2031 aged 26 > 24
    { id: fictitiousNoAddress, address: null }, // 8
    { id: fictitiousWithAddress }, // 9
    { id: nextId('2010-01-01'), unit: '99999' }, // 10: unknown unit
    { id: normal }, // 11: duplicate
    { id: nextId('2010-01-02'), mobile: '12345' }, // 12: bad mobile
    { id: nextId('2010-01-03'), os: 'OSXX' }, // 13: unknown OS code
  ]);

  it('imports, classifies and reports every kind of row', async () => {
    const summary = await importText(file);
    expect(summary.rows).toBe(12);
    expect(summary.created).toBe(7);
    expect(summary.existing).toBe(0);
    expect(summary.outsideTargetGroup).toEqual([7]);
    expect(summary.rejected.map((r) => r.line)).toEqual([10, 11, 12, 13]);
    expect(summary.rejected[1].reason).toBe('the same fodselsnummer as line 2');
    expect(summary.returnToVigo).toEqual([6, 8]);
    expect(summary.forAdmissionsOffice).toEqual([4, 8]);
    expect(summary.stages).toEqual({ awaitingLetter: 3, needsAddress: 1, caseworkerFollowUp: 1, notInTargetGroup: 1, feil: 1 });
    for (const r of summary.rejected) expect(r.reason).not.toMatch(/\d{11}/);

    await eventually(async () => ((await projectedCount()) === 7 ? true : undefined), 'seven projected cases');
    const key = stack.config.caseIdKey;
    const view = (id: string) => stack.client.workflow.getHandle(youthCaseWorkflowId(YEAR, caseIdOf(id, YEAR, key))).query(caseViewQuery);
    expect(await view(normal)).toMatchObject({ unit: '12250', osCode: 'OSON', otStatus: 'OSON', stage: 'awaitingLetter', flags: [] });
    expect((await view(minor)).flags).toEqual(['noMobile', 'under18']);
    expect(await view(noAddress)).toMatchObject({ stage: 'needsAddress', flags: ['needsAddress', 'noMobile'] });
    expect(await view(kept)).toMatchObject({ stage: 'caseworkerFollowUp', otStatus: 'OTOV', caseworker: 'Nils Rådgjevar' });
    expect(await view(abroad)).toMatchObject({ stage: 'notInTargetGroup', otStatus: 'OTFU_IM' });
    expect(await view(fictitiousNoAddress)).toMatchObject({ stage: 'feil', otStatus: 'Feil' });
    expect(await view(fictitiousWithAddress)).toMatchObject({ stage: 'awaitingLetter', flags: ['fictitiousId', 'noMobile'] });
  });

  it('creates nothing when the same file comes again, and reports changed fields', async () => {
    const again = await importText(file);
    expect(again.created).toBe(0);
    expect(again.existing).toBe(7);
    const changed = await importText(transferFile([{ id: normal, first: 'Øyvind', last: 'Ærø', mobile: '+4791234568' }]));
    expect(changed).toMatchObject({ created: 0, existing: 1, changed: [{ line: 2, fields: ['mobil'] }] });
    expect(await projectedCount()).toBe(7);
    const stored = await stack.pool.query('SELECT mobile FROM persons WHERE national_id = $1', [normal]);
    expect(stored.rows[0].mobile).toBe('+4791234567');
  });

  it('lets the Temporal UI filter the cases by unit, status and stage, with no id number in ids or attributes', async () => {
    const listed: string[] = [];
    await eventually(async () => {
      listed.length = 0;
      for await (const wf of stack.client.workflow.list({ query: `SchoolYear = ${YEAR} AND OtUnit = "12250" AND OtStatus = "OSON"` })) {
        listed.push(wf.workflowId);
        // BuildIds is Temporal's own (a hash of the workflow bundle, which may hold 11 digits in a row).
        const { BuildIds: _temporals, ...ours } = wf.searchAttributes;
        expect(JSON.stringify(ours)).not.toMatch(/\d{11}/);
      }
      return listed.length === 3 ? true : undefined; // normal, fictitious with address, no address (all OSON, 12250)
    }, 'visibility of the OSON cases');
    for (const id of listed) expect(id).toMatch(/^youth-case-2031-[0-9a-f]{24}$/);
  });

  it('moves a case without address to awaiting the letter when an address is registered', async () => {
    const address = { street: 'Nygårdsgaten 3', postcode: '5015', city: 'Bergen' };
    await registerContact(
      stack.pool,
      stack.client,
      caseIdOf(noAddress, YEAR, stack.config.caseIdKey),
      { kind: 'address', address },
      { source: 'admissions-office', by: 'Kari Kontor' },
    );
    const row = await eventually(async () => {
      const r = await stack.pool.query('SELECT stage, flags FROM cases WHERE case_id = $1', [caseIdOf(noAddress, YEAR, stack.config.caseIdKey)]);
      return r.rows[0]?.stage === 'awaitingLetter' ? r.rows[0] : undefined;
    }, 'the projection of the new stage');
    expect(row.flags).toEqual(['noMobile']);
  });

  it('refuses an import made with another case id key, and changes nothing', async () => {
    const other = await openStack({ taskQueue: 'other-key', caseIdKey: 'a-different-key-0123456789' });
    try {
      await other.startWorker();
      const before = await projectedCount();
      const handle = await submitImport(other, {
        fileName: 'again.csv',
        content: transferFile([{ id: normal }, { id: nextId('2010-08-08') }]),
        schoolYear: YEAR,
        strict: false,
      });
      await expect(handle.result()).rejects.toThrow();
      const failure = await handle.describe();
      expect(failure.status.name).toBe('FAILED');
      const history = JSON.stringify(await handle.fetchHistory());
      expect(history).toMatch(/OT_CASE_ID_KEY/);
      expect(history).not.toContain(normal);
      expect(await projectedCount()).toBe(before);
    } finally {
      await other.close();
    }
  });

  it('refuses the whole file under --strict when a row is rejected', async () => {
    const before = await projectedCount();
    const summary = await importText(transferFile([{ id: nextId('2010-02-02') }, { id: nextId('2010-02-03'), os: 'NOPE' }]), true);
    expect(summary).toMatchObject({ refused: true, created: 0, rejected: [{ line: 3 }] });
    const persons = await stack.pool.query('SELECT count(*)::int AS n FROM persons WHERE school_year = $1', [YEAR]);
    expect(persons.rows[0].n).toBe(before);
  });
});
