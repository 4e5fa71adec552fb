import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../domain/project-root';
import { caseIdOf } from '../../domain/case-id';
import { cohortPolicySchema, defaultAgeLimit, defaultCohortPolicy, isBornTooEarly, schoolYearSchema } from '../../schemas/cohort-policy';
import { mobileSchema, normaliseMobile } from '../../schemas/mobile';
import { OS_CODES, OT_GROUP_NAMES, OT_STATUS_CODES, OT_STATUS_GROUPS, otGroupOf, parseOtStatus, type OtStatusCode } from '../../schemas/ot-codes';
import { osCodeSchema, otStatusSchema } from '../../schemas/ot-code-schemas';
import { DEFAULT_UNITS, unitsSchema } from '../../schemas/units';
import { ageOn } from '../../workflows/calendar';
import { ConfigError, DEFAULT_DATABASE_URL, heldCaseIdKey, loadConfig } from '../../runtime/config';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { CASE_ID_PATTERN } from '../../schemas/case-id';

describe('mobile numbers', () => {
  it.each([
    ['91234567', '+4791234567'],
    ['41234567', '+4741234567'],
    ['912 34 567', '+4791234567'],
    ['+47 912 34 567', '+4791234567'],
    ['+4791234567', '+4791234567'],
    ['0047 912 34 567', '+4791234567'],
    ['004741234567', '+4741234567'],
    [' 48 00 00 00 ', '+4748000000'],
    ['+47 99 99 99 99', '+4799999999'],
  ])('reads %j as %s', (written, e164) => {
    expect(normaliseMobile(written)).toBe(e164);
    expect(mobileSchema.parse(written)).toBe(e164);
  });

  it.each([
    ['a landline starting 2', '22334455'],
    ['a landline starting 3', '33445566'],
    ['a landline starting 5', '55 12 34 56'],
    ['a landline starting 6', '+47 61 23 45 67'],
    ['a landline starting 7', '0047 71234567'],
    ['an 8-digit number starting 8', '81234567'],
    ['an 8-digit number starting 1', '11234567'],
    ['an 8-digit number starting 0', '01234567'],
    ['7 digits', '9123456'],
    ['9 digits', '912345678'],
    ['too short after +47', '+47 912 34 56'],
    ['too long after 0047', '0047 912 34 5678'],
    ['a foreign number', '+46 912 34 567'],
    ['letters', '9123456a'],
    ['nothing', ''],
  ])('refuses %s (%j)', (_, written) => {
    expect(normaliseMobile(written)).toBeUndefined();
    const r = mobileSchema.safeParse(written);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('mobil is not a Norwegian mobile number (8 digits starting with 4 or 9)');
  });
});

describe('OS and OT codes', () => {
  it('knows the four OS codes', () => {
    expect([...OS_CODES]).toEqual(['OSON', 'OSUT', 'OSNP', 'OSVE']);
    for (const code of OS_CODES) expect(osCodeSchema.parse(code)).toBe(code);
    expect(osCodeSchema.safeParse('OTUK').success).toBe(false);
  });

  it('puts every UDIR code in its group 1–5', () => {
    const expected: Record<number, string[]> = {
      1: ['OTUK'],
      2: ['OTOV'],
      3: ['OTOA', 'OTAP', 'OTKO', 'OTAR', 'OTEV', 'OTVF', 'OTLL'],
      4: ['OTNO', 'OTMI', 'OTBA', 'OTSY', 'OTIF'],
      5: ['ELGS_IM', 'ELVG_IM', 'OTFA_IM', 'OTFU_IM', 'Feil', 'OTAR_IM', 'OTEV_IM', 'OTVF_IM', 'OTLL_IM'],
    };
    expect(OT_STATUS_GROUPS).toEqual(expected);
    expect(OT_STATUS_CODES).toHaveLength(23);
    expect(new Set(OT_STATUS_CODES).size).toBe(23);
    for (const [group, codes] of Object.entries(expected)) {
      for (const code of codes) expect([code, otGroupOf(code as OtStatusCode)]).toEqual([code, Number(group)]);
    }
    expect(Object.keys(OT_GROUP_NAMES)).toEqual(['1', '2', '3', '4', '5']);
    expect(() => otGroupOf('OSON' as OtStatusCode)).toThrow(/not an OT status code/);
  });

  it('reads every code regardless of case and surrounding spaces', () => {
    for (const code of OT_STATUS_CODES) {
      expect(parseOtStatus(code)).toBe(code);
      expect(parseOtStatus(code.toLowerCase())).toBe(code);
      expect(parseOtStatus(` ${code.toUpperCase()} `)).toBe(code);
    }
  });

  it('reads the seeds’ OTFU as OTFU_IM, and Feil in any case as Feil', () => {
    expect(parseOtStatus('OTFU')).toBe('OTFU_IM');
    expect(parseOtStatus('otfu')).toBe('OTFU_IM');
    expect(parseOtStatus(' Otfu ')).toBe('OTFU_IM');
    expect(parseOtStatus('otfu_im')).toBe('OTFU_IM');
    expect(parseOtStatus('FEIL')).toBe('Feil');
    expect(parseOtStatus('feil')).toBe('Feil');
  });

  it('knows no other code', () => {
    for (const s of ['', 'OTXX', 'OSON', 'OTUK_IM', 'OT UK', 'OTFU IM', 'Feil2']) expect(parseOtStatus(s)).toBeUndefined();
    const r = otStatusSchema.safeParse('OTXX');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('unknown OT status code "OTXX"');
    expect(otStatusSchema.parse('otfu')).toBe('OTFU_IM');
  });
});

describe('the cohort policy', () => {
  it('has the age limit 21 up to school year 2023 and 24 from 2024', () => {
    expect(defaultAgeLimit(2015)).toBe(21);
    expect(defaultAgeLimit(2023)).toBe(21);
    expect(defaultAgeLimit(2024)).toBe(24);
    expect(defaultAgeLimit(2026)).toBe(24);
    expect(defaultCohortPolicy(2023)).toEqual({ schoolYear: 2023, ageLimit: 21, targetGroupEnd: 'schoolYear' });
    expect(defaultCohortPolicy(2024)).toEqual({ schoolYear: 2024, ageLimit: 24, targetGroupEnd: 'calendarYear' });
  });

  it('counts the target group to the end of the year the youth turns the limit', () => {
    // 2023, limit 21: born 2002 turns 21 in 2023 and is in; born 2001 is not.
    const p2023 = defaultCohortPolicy(2023);
    expect(isBornTooEarly('2002-01-01', p2023)).toBe(false);
    expect(isBornTooEarly('2002-12-31', p2023)).toBe(false);
    expect(isBornTooEarly('2001-12-31', p2023)).toBe(true);
    expect(isBornTooEarly('2001-01-01', p2023)).toBe(true);
    // 2024, limit 24: born 2000 turns 24 in 2024 and is in; born 1999 is not.
    const p2024 = defaultCohortPolicy(2024);
    expect(isBornTooEarly('2000-01-01', p2024)).toBe(false);
    expect(isBornTooEarly('2000-12-31', p2024)).toBe(false);
    expect(isBornTooEarly('1999-12-31', p2024)).toBe(true);
    // The young are never too early.
    expect(isBornTooEarly('2010-06-01', p2024)).toBe(false);
    expect(isBornTooEarly('2009-06-01', { schoolYear: 2026, ageLimit: 17 })).toBe(false);
    expect(isBornTooEarly('2008-06-01', { schoolYear: 2026, ageLimit: 17 })).toBe(true);
  });

  it('validates a policy and reads a school year from text', () => {
    expect(schoolYearSchema.parse('2026')).toBe(2026);
    expect(schoolYearSchema.safeParse('26').success).toBe(false);
    expect(schoolYearSchema.safeParse('2026.5').success).toBe(false);
    expect(schoolYearSchema.safeParse('neste år').error!.issues[0].message).toBe('school year must be a year such as 2026');
    const policy = { schoolYear: 2026, ageLimit: 24, targetGroupEnd: 'calendarYear' };
    expect(cohortPolicySchema.parse(policy)).toEqual(policy);
    expect(cohortPolicySchema.safeParse({ ...policy, ageLimit: 40 }).success).toBe(false);
    expect(cohortPolicySchema.safeParse({ ...policy, targetGroupEnd: 'birthday' }).success).toBe(false);
  });
});

describe('OT units', () => {
  it('defaults to the ten units of the seeds', () => {
    expect(unitsSchema.parse(DEFAULT_UNITS)).toEqual(DEFAULT_UNITS);
    expect(DEFAULT_UNITS.map((u) => u.code)).toEqual(['12250', '12256', '12260', '12261', '12265', '12266', '12270', '12275', '12276', '12280']);
  });

  it('refuses duplicate codes, malformed codes, nameless units and an empty list', () => {
    const dup = unitsSchema.safeParse([
      { code: '4601', name: 'A' },
      { code: '4601', name: 'B' },
    ]);
    expect(dup.success).toBe(false);
    expect(dup.error!.issues[0].message).toBe('unit codes must be unique');
    expect(unitsSchema.safeParse([{ code: '46', name: 'A' }]).error!.issues[0].message).toBe('a unit code is 3 to 6 digits');
    expect(unitsSchema.safeParse([{ code: '1234567', name: 'A' }]).success).toBe(false);
    expect(unitsSchema.safeParse([{ code: '4601', name: '' }]).success).toBe(false);
    expect(unitsSchema.safeParse([]).success).toBe(false);
    expect(
      unitsSchema.parse([
        { code: '4601', name: 'Bergen' },
        { code: '4602', name: 'Voss' },
      ]),
    ).toHaveLength(2);
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ot-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const KEY = 'a-case-id-key-of-enough-length';

  it('has defaults for everything but the data folder', () => {
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY })).toEqual({
      databaseUrl: DEFAULT_DATABASE_URL,
      databaseUrls: { migration: DEFAULT_DATABASE_URL, worker: DEFAULT_DATABASE_URL, api: DEFAULT_DATABASE_URL },
      temporalAddress: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'ot-campaign',
      caseIdKey: KEY,
      units: DEFAULT_UNITS,
      apiPort: 8080,
      dataDir: dir,
      consoleDir: path.join(PROJECT_ROOT, 'dist', 'console'),
      crosscheckCodes: { 'private-school': 'OTVF_IM', exchange: 'OTEV_IM', 'late-start': 'OTEV_IM', apprentice: 'OTLL_IM' },
      templatesDir: path.join(dir, 'templates'),
      sms: { provider: 'outbox', sender: 'OT', timeoutMs: 10000, url: undefined, user: undefined, password: undefined, callbackSecret: undefined },
      reportSettleSeconds: 60,
      access: {
        production: false,
        // Made once in the data folder, like the case id key.
        sessionSecret: readFileSync(path.join(dir, 'session.key'), 'utf8').trim(),
        sessionIdleMinutes: 30,
        sessionMaxHours: 10,
        allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
        temporalUiOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
      },
      retentionYears: 5,
      auditRetentionYears: 5,
      oidc: undefined,
      // Made once in the data folder too (test/unit/payload-codec.test.ts reads it).
      payloadKeys: {
        keys: [{ id: expect.stringMatching(/^k\d{8}-[0-9a-f]{6}$/), key: expect.any(Uint8Array) }],
        source: { kind: 'local', file: path.join(dir, 'payload-keys') },
      },
    });
  });

  it('refuses to run in production without a session secret, and refuses a short one', () => {
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, NODE_ENV: 'production' })).toThrow(
      /OT_SESSION_SECRET is required in production/,
    );
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_SESSION_SECRET: 'short' })).toThrow(/at least 32 characters/);
    const secret = 's'.repeat(32);
    const payloadKeys = `p1=${Buffer.alloc(32, 7).toString('base64')}`;
    expect(
      loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, NODE_ENV: 'production', OT_SESSION_SECRET: secret, OT_PAYLOAD_KEYS: payloadKeys }).access,
    ).toMatchObject({
      production: true,
      sessionSecret: secret,
    });
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_SESSION_IDLE_MINUTES: '0' })).toThrow(/OT_SESSION_IDLE_MINUTES/);
  });

  it('takes how long a report snapshot waits after its moment, and refuses a wait that is not whole seconds up to an hour', () => {
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_REPORT_SETTLE_SECONDS: '2' }).reportSettleSeconds).toBe(2);
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_REPORT_SETTLE_SECONDS: '' }).reportSettleSeconds).toBe(60);
    for (const bad of ['-1', '1.5', '3601', 'soon']) {
      expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_REPORT_SETTLE_SECONDS: bad })).toThrow(/OT_REPORT_SETTLE_SECONDS/);
    }
  });

  it('reads the example units file: the default units, each with staff to share its call lists', () => {
    const units = loadConfig({
      OT_DATA_DIR: dir,
      OT_CASE_ID_KEY: KEY,
      OT_UNITS_FILE: path.join(__dirname, '..', '..', 'deploy', 'units.example.json'),
    }).units;
    expect(units.map(({ staff, ...u }) => u)).toEqual(DEFAULT_UNITS);
    for (const u of units) expect(u.staff!.length).toBeGreaterThanOrEqual(2);
  });

  it('takes the staff of a unit from the units file, and refuses a name twice or empty', () => {
    const file = path.join(dir, 'units.json');
    const write = (staff: string[]) => writeFileSync(file, JSON.stringify([{ code: '12250', name: 'Bergen Sentrum', staff }]));
    write(['Kari Ringjar', 'Ola Telefon']);
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file }).units[0].staff).toEqual(['Kari Ringjar', 'Ola Telefon']);
    write(['Kari Ringjar', 'Kari Ringjar']);
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file })).toThrow(/staff names must be unique within a unit/);
    write(['  ']);
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file })).toThrow(/a staff name cannot be empty/);
  });

  it('takes the HTTP SMS gateway with its URL and credentials, and refuses it without them', () => {
    const env = {
      OT_DATA_DIR: dir,
      OT_CASE_ID_KEY: KEY,
      OT_SMS_PROVIDER: 'http',
      OT_SMS_URL: 'https://sms.example/send',
      OT_SMS_USER: 'ot',
      OT_SMS_PASSWORD: 'pw',
    };
    expect(loadConfig({ ...env, OT_SMS_SENDER: 'OT Vestland', OT_SMS_CALLBACK_SECRET: 's3cret' }).sms).toEqual({
      provider: 'http',
      sender: 'OT Vestland',
      url: 'https://sms.example/send',
      user: 'ot',
      password: 'pw',
      timeoutMs: 10000,
      callbackSecret: 's3cret',
    });
    expect(() => loadConfig({ ...env, OT_SMS_URL: 'not a url' })).toThrow(/OT_SMS_URL must be the URL of the SMS API/);
    expect(() => loadConfig({ ...env, OT_SMS_PASSWORD: '' })).toThrow(/OT_SMS_USER and OT_SMS_PASSWORD are needed/);
    expect(() => loadConfig({ ...env, OT_SMS_PROVIDER: 'pigeon' })).toThrow(/OT_SMS_PROVIDER must be one of outbox, http/);
    expect(() => loadConfig({ ...env, OT_SMS_TIMEOUT_MS: '5' })).toThrow(/OT_SMS_TIMEOUT_MS/);
  });

  it('reads what the environment sets', () => {
    const config = loadConfig({
      OT_DATA_DIR: dir,
      OT_CASE_ID_KEY: KEY,
      DATABASE_URL: 'postgres://ot@db.example:5432/ot',
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'ot-prod',
      OT_TASK_QUEUE: 'ot-vestland',
      OT_API_PORT: '9090',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://ot@db.example:5432/ot',
      temporalAddress: 'temporal.example:7233',
      namespace: 'ot-prod',
      taskQueue: 'ot-vestland',
      apiPort: 9090,
    });
  });

  it('gives migrations, the worker and the API each its own database URL when set, else DATABASE_URL', () => {
    const env = { OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, DATABASE_URL: 'postgres://ot@db.example:5432/ot' };
    expect(loadConfig(env).databaseUrls).toEqual({
      migration: 'postgres://ot@db.example:5432/ot',
      worker: 'postgres://ot@db.example:5432/ot',
      api: 'postgres://ot@db.example:5432/ot',
    });
    const own = loadConfig({
      ...env,
      OT_MIGRATION_DATABASE_URL: 'postgres://ot_migrator@db.example:5432/ot',
      OT_WORKER_DATABASE_URL: 'postgres://ot_worker_user@db.example:5432/ot',
      OT_API_DATABASE_URL: '',
    });
    expect(own.databaseUrl).toBe('postgres://ot@db.example:5432/ot');
    expect(own.databaseUrls).toEqual({
      migration: 'postgres://ot_migrator@db.example:5432/ot',
      worker: 'postgres://ot_worker_user@db.example:5432/ot',
      api: 'postgres://ot@db.example:5432/ot',
    });
    // The message names the variable, never the value: it may hold a password.
    const bad = () => loadConfig({ ...env, OT_API_DATABASE_URL: 'ot_api_user:s3cret at db' });
    expect(bad).toThrow(new ConfigError('OT_API_DATABASE_URL must be a URL such as postgres://user@host:5432/database'));
  });

  it('refuses a port that is no port', () => {
    for (const port of ['0', '70000', 'http', '80.5']) {
      expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_API_PORT: port })).toThrow(
        new ConfigError('OT_API_PORT must be a port number'),
      );
    }
  });

  it('reads the units from OT_UNITS_FILE', () => {
    const file = path.join(dir, 'units.json');
    const units = [
      { code: '4601', name: 'Bergen' },
      { code: '4621', name: 'Voss' },
    ];
    writeFileSync(file, JSON.stringify(units));
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file }).units).toEqual(units);
  });

  it('refuses an OT_UNITS_FILE that is not JSON, with a clear message', () => {
    const file = path.join(dir, 'units.json');
    writeFileSync(file, '[{ code: 4601 }');
    const load = () => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`OT_UNITS_FILE ${file} cannot be read as JSON`);
  });

  it('refuses an OT_UNITS_FILE that does not exist', () => {
    const file = path.join(dir, 'missing.json');
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file })).toThrow(file);
  });

  it('refuses JSON that is not a valid list of units, saying why', () => {
    const file = path.join(dir, 'units.json');
    const cases: [unknown, RegExp][] = [
      [
        [
          { code: '4601', name: 'A' },
          { code: '4601', name: 'B' },
        ],
        /unit codes must be unique/,
      ],
      [[{ code: 'x', name: 'A' }], /a unit code is 3 to 6 digits/],
      [{ code: '4601', name: 'A' }, /array/i],
    ];
    for (const [content, message] of cases) {
      writeFileSync(file, JSON.stringify(content));
      const load = () => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY, OT_UNITS_FILE: file });
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(message);
      expect(load).toThrow(`OT_UNITS_FILE ${file}: `);
    }
  });

  it('refuses an OT_CASE_ID_KEY shorter than 16 characters', () => {
    const load = () => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: 'short-key-15chr' }).caseIdKey;
    expect(load).toThrow(ConfigError);
    expect(load).toThrow('OT_CASE_ID_KEY must be at least 16 characters');
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: '0123456789abcdef' }).caseIdKey).toBe('0123456789abcdef');
  });

  it('makes a key in the data folder when none is set, and reads the same key the next time', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = loadConfig({ OT_DATA_DIR: dataDir });
    const file = path.join(dataDir, 'case-id.key');
    expect(first.dataDir).toBe(dataDir);
    expect(first.caseIdKey).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.caseIdKey);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ OT_DATA_DIR: dataDir }).caseIdKey).toBe(first.caseIdKey);
    // Another data folder makes another key.
    expect(loadConfig({ OT_DATA_DIR: path.join(dir, 'other') }).caseIdKey).not.toBe(first.caseIdKey);
  });

  it('reads or makes the key only when a process asks for it: the API never does', () => {
    const config = loadConfig({ OT_DATA_DIR: dir });
    expect(existsSync(path.join(dir, 'case-id.key'))).toBe(false);
    expect(heldCaseIdKey(config, {})).toBeUndefined();
    const made = config.caseIdKey;
    expect(heldCaseIdKey(config, {})).toBe(made);
    expect(heldCaseIdKey(config, { OT_CASE_ID_KEY: KEY })).toBe(KEY);
  });

  it('prefers OT_CASE_ID_KEY over a key file', () => {
    void loadConfig({ OT_DATA_DIR: dir }).caseIdKey;
    expect(loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: KEY }).caseIdKey).toBe(KEY);
  });
});

describe('case ids', () => {
  const id = '01010750160';
  const key = 'k'.repeat(32);

  it('are stable, 24 hex characters, and do not contain the national id', () => {
    const a = caseIdOf(id, 2026, key);
    expect(a).toMatch(CASE_ID_PATTERN);
    expect(a).toMatch(/^[0-9a-f]{24}$/);
    expect(caseIdOf(id, 2026, key)).toBe(a);
    expect(a).not.toContain(id);
    expect(a).not.toMatch(/\d{11}/);
    expect(youthCaseWorkflowId(2026, a)).toBe(`youth-case-2026-${a}`);
  });

  it('differ by school year, key and id', () => {
    const a = caseIdOf(id, 2026, key);
    expect(caseIdOf(id, 2027, key)).not.toBe(a);
    expect(caseIdOf(id, 2026, 'another-key-of-enough-length')).not.toBe(a);
    expect(caseIdOf('01010750161', 2026, key)).not.toBe(a);
  });
});

describe('ageOn', () => {
  it('counts whole years of age, turning a year older on the birthday', () => {
    expect(ageOn('2008-09-10', '2026-09-10')).toBe(18);
    expect(ageOn('2008-09-11', '2026-09-10')).toBe(17);
    expect(ageOn('2008-09-15', '2026-09-10')).toBe(17);
    expect(ageOn('2008-09-15', '2026-09-25')).toBe(18);
    expect(ageOn('2008-01-01', '2026-12-31')).toBe(18);
    expect(ageOn('2010-03-04', '2026-09-10')).toBe(16);
    // Birthdays on either side of a change of summer time.
    expect(ageOn('2008-03-30', '2026-03-29')).toBe(17);
    expect(ageOn('2008-10-26', '2026-10-25')).toBe(17);
    expect(ageOn('2008-10-25', '2026-10-25')).toBe(18);
  });
});
