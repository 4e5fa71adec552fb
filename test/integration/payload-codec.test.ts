import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { registerAction } from '../../client/use-cases/case-actions';
import { submitImport } from '../../client/use-cases/cohort-import';
import { execFile } from 'node:child_process';
import { addUser, createApiToken } from '../../client/use-cases/users';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { caseIdOf } from '../../domain/case-id';
import { dataConverterOf, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadEncryptionCodec } from '../../runtime/payload-codec';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';

/**
 * The payload codec on the real stack: a case started and changed through our client holds only ciphertext
 * in Temporal (read back through a raw client that has no codec), decodes with the codec, replays only with
 * it; and the API's codec server, as the Temporal UI calls it, decodes for operators and super users alone.
 */
const YEAR = 2065;
const UNIT = '12250';
const UI = 'http://localhost:8233';
const nextId = idFactory();
// Born in 2039 (the last year a test id can be born in): in the target group of school year 2065 only with a
// cohort age limit of 30, which the test gives the cohort before its import.
const youth = { id: nextId('2039-05-17'), first: 'Sunniva', last: 'Kodeksdotter', mobile: '+4791234987' };
/** What a caseworker wrote, and to whom the reply went: personal data that may only be read through the codec. */
const NOTE = 'Mor seier ho vil byrje på Chiffervik vidaregåande i januar';
const FORWARD_TO = 'Gudrun Kodeksvik';

let stack: TestStack;
let api: FastifyInstance;
let base: string;
let history: temporal.api.history.v1.IHistory;
const caseId = () => caseIdOf(youth.id, YEAR, stack.config.caseIdKey);

/** The payloads of a history's events, by where they are. */
function payloadsOf(h: temporal.api.history.v1.IHistory) {
  const events = h.events ?? [];
  const started = events.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!;
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!.workflowExecutionUpdateAcceptedEventAttributes!;
  const completed = events.find((e) => e.workflowExecutionUpdateCompletedEventAttributes)!.workflowExecutionUpdateCompletedEventAttributes!;
  const memo = events.flatMap((e) => Object.values(e.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields ?? {}));
  return {
    input: started.input!.payloads as Payload[],
    updateArgs: accepted.acceptedRequest!.input!.args!.payloads as Payload[],
    updateResult: completed.outcome!.success!.payloads as Payload[],
    memo: [...Object.values(started.memo?.fields ?? {}), ...memo] as Payload[],
  };
}
const encodingOf = (p: Payload) => Buffer.from(p.metadata!.encoding).toString();
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
  ({ app: api, url: base } = await startApi(stack));
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 30) ON CONFLICT DO NOTHING', [YEAR]);
  const file = transferFile([{ id: youth.id, first: youth.first, last: youth.last, unit: UNIT, os: 'OSON', mobile: youth.mobile }]);
  await (await submitImport(stack, { fileName: 'codec.csv', content: file, schoolYear: YEAR, strict: true })).result();
  await registerAction(stack.pool, stack.client, caseId(), { type: 'REPLY', channel: 'phone', forwardTo: FORWARD_TO, note: NOTE, by: 'Kari Kontor' });
  // Read as the Temporal UI reads it: through a client with no codec, straight from the server.
  const raw = new Client({ connection: stack.client.connection, namespace: stack.config.namespace });
  history = await raw.workflow.getHandle(youthCaseWorkflowId(YEAR, caseId())).fetchHistory();
}, 120_000);
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe('the payloads of a case in Temporal', () => {
  it('are encrypted with the newest key: input, update argument and result, memo; no note, name or id in the bytes', () => {
    const p = payloadsOf(history);
    const all = [...p.input, ...p.updateArgs, ...p.updateResult, ...p.memo];
    expect(p.memo.length).toBeGreaterThan(0);
    expect(all.map(encodingOf)).toEqual(all.map(() => ENCRYPTED_ENCODING));
    expect(new Set(all.map((x) => Buffer.from(x.metadata![KEY_ID_METADATA]).toString()))).toEqual(new Set(['test-new']));
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    // The caseworker the reply went to is staff, not the youth: a search attribute (Caseworker) by design, so in the clear there.
    for (const secret of [NOTE, 'Chiffervik', youth.first, youth.last, youth.id, youth.mobile.slice(3)])
      expect([secret, bytes.includes(secret)]).toEqual([secret, false]);
    // Every other payload of the history, of every event (activities' inputs and results too), is ciphertext;
    // but the search attributes, and the markers of patched() that the SDK's core writes itself (a patch's name).
    const plain: string[] = [];
    const walk = (value: unknown, where: string): void => {
      if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
      if ('metadata' in value && 'data' in value) {
        const encoding = encodingOf(value as Payload);
        if (encoding !== ENCRYPTED_ENCODING) plain.push(`${where}: ${encoding}`);
        return;
      }
      for (const [k, v] of Object.entries(value)) if (k !== 'searchAttributes' && k !== 'patch-data') walk(v, `${where}.${k}`);
    };
    walk(history, 'history');
    expect(plain).toEqual([]);
    const caseworkerAttribute = (history.events ?? []).some((e) =>
      Object.values(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).some((p) =>
        Buffer.from(p.data ?? [])
          .toString()
          .includes(FORWARD_TO),
      ),
    );
    expect(caseworkerAttribute).toBe(true);
  });

  it('decode with the codec to what the client sent', async () => {
    const p = payloadsOf(history);
    const codec = new PayloadEncryptionCodec(stack.config.payloadKeys);
    const [args] = (await codec.decode(p.updateArgs)).map((x) => defaultPayloadConverter.fromPayload<Record<string, unknown>>(x));
    expect(args).toMatchObject({ channel: 'phone', forwardTo: FORWARD_TO, noteId: expect.any(String) });
    const [input] = (await codec.decode(p.input)).map((x) => defaultPayloadConverter.fromPayload<{ case: { caseId: string } }>(x));
    expect(input.case.caseId).toBe(caseId());
  });

  it('replay with the codec, and not without it', async () => {
    const workflowsPath = require.resolve('../../workflows');
    await Worker.runReplayHistory({ workflowsPath, dataConverter: dataConverterOf(stack.config.payloadKeys) }, history);
    await expect(Worker.runReplayHistory({ workflowsPath }, history)).rejects.toThrow();
  });
});

describe('the codec server', () => {
  /** A browser signed in to the console: its session cookie, sent from the Temporal UI's page. */
  async function signedIn(role: 'operator' | 'caseworker'): Promise<ApiCall> {
    const username = `codec-${role}-${randomBytes(3).toString('hex')}`;
    const password = `eit-langt-passord-${randomBytes(6).toString('hex')}`;
    await addUser(
      stack.pool,
      stack.config.units,
      { username, displayName: `Codec ${role}`, role, units: role === 'operator' ? [] : [UNIT] },
      password,
    );
    const r = await caller(base)('POST', '/auth/sign-in', { username, password });
    expect(r.status).toBe(200);
    return caller(base, { cookie: r.headers.get('set-cookie')!.split(';')[0] });
  }
  const fromUi = { origin: UI, 'x-namespace': 'default' };

  it("decodes a real payload for an operator signed in to the console, from the UI's origin, and audits the read", async () => {
    const operator = await signedIn('operator');
    const p = payloadsOf(history);
    const answer = await operator('POST', '/codec/decode', { payloads: [...p.input, ...p.updateArgs].map(toJson) }, fromUi);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(UI);
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    const [input, args] = answer.body.payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(args.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(args.data, 'base64').toString())).toMatchObject({ noteId: expect.any(String), forwardTo: FORWARD_TO });
    expect(JSON.parse(Buffer.from(input.data, 'base64').toString()).case.caseId).toBe(caseId());
    const audit = await stack.pool.query(`SELECT * FROM audit_log WHERE action = 'payloads.decode' AND kind = 'read' AND $1 = ANY (case_ids)`, [
      caseId(),
    ]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ endpoint: 'POST /codec/decode', list: 'temporal payloads (namespace default)', status: 200 });
    expect(JSON.stringify(audit.rows[0])).not.toContain('Chiffervik');
  });

  it('decodes for a super user with an API token, as `temporal workflow show --codec-auth` sends it', async () => {
    const superUser = await userWithToken(stack, base, { role: 'superUser' });
    const answer = await superUser.call(
      'POST',
      '/codec/decode',
      { payloads: payloadsOf(history).updateArgs.map(toJson) },
      { 'x-namespace': 'default' },
    );
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.body.payloads[0].data, 'base64').toString()).toContain(FORWARD_TO);
  });

  it('refuses a caseworker (403), office staff (403) and anyone without a session (401), still with the CORS headers', async () => {
    const body = { payloads: payloadsOf(history).updateArgs.map(toJson) };
    const caseworker = await signedIn('caseworker');
    const refused = await caseworker('POST', '/codec/decode', body, fromUi);
    expect([refused.status, refused.body.error]).toEqual([403, expect.stringMatching(/may not decode Temporal's payloads/)]);
    expect(refused.headers.get('access-control-allow-origin')).toBe(UI);
    expect(JSON.stringify(refused.body)).not.toContain('Chiffervik');
    const office = await userWithToken(stack, base, { role: 'officeStaff', units: [UNIT] });
    expect((await office.call('POST', '/codec/encode', { payloads: [] })).status).toBe(403);
    const nobody = await caller(base)('POST', '/codec/decode', body, fromUi);
    expect(nobody.status).toBe(401);
    expect(nobody.headers.get('access-control-allow-origin')).toBe(UI);
    const denied = await stack.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'payloads.decode' AND kind = 'denied'`);
    expect(denied.rows[0].n).toBeGreaterThanOrEqual(2);
  });

  it("answers the UI's preflight and refuses another origin's, and a session's request from another origin", async () => {
    const anonymous = caller(base);
    const preflight = (origin: string) =>
      anonymous('OPTIONS', '/codec/decode', undefined, {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      });
    const ok = await preflight(UI);
    expect(ok.status).toBe(204);
    expect(
      Object.fromEntries(
        ['allow-origin', 'allow-credentials', 'allow-methods', 'allow-headers'].map((h) => [h, ok.headers.get(`access-control-${h}`)]),
      ),
    ).toEqual({
      'allow-origin': UI,
      'allow-credentials': 'true',
      'allow-methods': 'POST',
      'allow-headers': 'content-type, x-namespace, authorization',
    });
    expect((await preflight('http://127.0.0.1:8233')).status).toBe(204);
    const evil = await preflight('http://localhost:9999');
    expect([evil.status, evil.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    expect(evil.body.error).toMatch(/OT_TEMPORAL_UI_ORIGIN/);
    const operator = await signedIn('operator');
    const foreign = await operator('POST', '/codec/decode', { payloads: [] }, { origin: 'http://localhost:9999' });
    expect(foreign.status).toBe(403);
  });

  it('encodes with the newest key only, refuses a payload of a key it lacks naming the key, and refuses bad input', async () => {
    const operator = await userWithToken(stack, base, { role: 'operator' });
    const plain = toJson(defaultPayloadConverter.toPayload({ note: NOTE }));
    const encoded = await operator.call('POST', '/codec/encode', { payloads: [plain] }, { 'x-namespace': 'default' });
    expect(encoded.status).toBe(200);
    expect(Buffer.from(encoded.body.payloads[0].metadata[KEY_ID_METADATA], 'base64').toString()).toBe('test-new');
    const back = await operator.call('POST', '/codec/decode', encoded.body);
    expect(back.body.payloads[0]).toEqual(plain);
    // A payload of a key this API does not hold: a clear refusal, never its bytes.
    const other = new PayloadEncryptionCodec({ keys: [{ id: 'lost-key', key: new Uint8Array(randomBytes(32)) }], source: { kind: 'env' } });
    const [lost] = await other.encode([defaultPayloadConverter.toPayload({ note: NOTE })]);
    const refused = await operator.call('POST', '/codec/decode', { payloads: [toJson(lost)] });
    expect([refused.status, refused.body.error]).toEqual([422, expect.stringMatching(/encrypted with key lost-key, which is not in/)]);
    expect(refused.body.error).not.toContain(toJson(lost).data.slice(0, 12));
    const notBase64 = await operator.call('POST', '/codec/decode', { payloads: [{ data: 'not base64!' }] });
    expect([notBase64.status, notBase64.body.error]).toEqual([400, expect.stringMatching(/payloads\.0\.data/)]);
    const badNamespace = await operator.call('POST', '/codec/decode', { payloads: [] }, { 'x-namespace': 'a b' });
    expect([badNamespace.status, badNamespace.body.error]).toEqual([400, expect.stringMatching(/X-Namespace/)]);
  });
});

describe('temporal workflow show', () => {
  const show = (extra: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      const args = ['workflow', 'show', '-w', youthCaseWorkflowId(YEAR, caseId()), '--address', stack.config.temporalAddress, '--output', 'json'];
      execFile(temporalCliPath(), [...args, ...extra], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, out: stdout, err: stderr }),
      );
    });

  /** The payloads' data of its JSON output, read as text: the CLI writes it in base64. */
  const dataOf = (out: string): string => {
    const parts: string[] = [];
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      if ('data' in v && typeof v.data === 'string') parts.push(Buffer.from(v.data, 'base64').toString('utf8'));
      Object.values(v).forEach(walk);
    };
    walk(JSON.parse(out));
    return parts.join('\n');
  };

  it("shows ciphertext, and the plaintext through the codec server with an operator's API token", async () => {
    // The reply's note id: in the update's arguments only, which are encrypted (the caseworker's name is also a search attribute).
    const noteId = (await stack.pool.query<{ id: string }>('SELECT id FROM case_notes WHERE case_id = $1', [caseId()])).rows[0].id;
    const plain = await show([]);
    expect([plain.code, plain.err]).toEqual([0, '']);
    expect(dataOf(plain.out)).not.toContain(noteId);
    const operator = await userWithToken(stack, base, { role: 'operator' });
    const { token: own } = await createApiToken(stack.pool, operator.username, { name: 'temporal-cli' });
    const decoded = await show(['--codec-endpoint', `${base}/codec`, '--codec-auth', `Bearer ${own}`]);
    expect([decoded.code, decoded.err]).toEqual([0, '']);
    expect(dataOf(decoded.out)).toContain(noteId);
    const caseworker = await userWithToken(stack, base, { role: 'caseworker', units: [UNIT] });
    const { token: theirs } = await createApiToken(stack.pool, caseworker.username, { name: 'temporal-cli' });
    const refused = await show(['--codec-endpoint', `${base}/codec`, '--codec-auth', `Bearer ${theirs}`]);
    expect(dataOf(refused.out || '{}')).not.toContain(noteId);
  });
});

describe('ot payload-keys', () => {
  it('lists the key ids and the newest, never a key; rotation belongs to whoever sets OT_PAYLOAD_KEYS', async () => {
    const list = await ot(['payload-keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/test-old\s+decrypts its own payloads\ntest-new\s+newest: encrypts new payloads\nfrom OT_PAYLOAD_KEYS/);
    for (const k of stack.config.payloadKeys.keys) expect(list.stdout).not.toContain(Buffer.from(k.key).toString('base64').slice(0, 16));
    const rotate = await ot(['payload-keys', 'rotate']);
    expect([rotate.code, rotate.stderr]).toEqual([1, expect.stringMatching(/^ot: the keys come from OT_PAYLOAD_KEYS: add the new key there/)]);
  });
});
