import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../runtime/config';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError, PayloadEncryptionCodec } from '../../runtime/payload-codec';
import { appendPayloadKey, localPayloadKeys, parsePayloadKeys } from '../../runtime/payload-keys';
import type { PayloadKeyRing } from '../../schemas/config';

const entry = (id: string) => `${id}=${randomBytes(32).toString('base64')}`;
const ring = (...entries: string[]): PayloadKeyRing => ({ keys: parsePayloadKeys(entries.join(','), 'OT_PAYLOAD_KEYS'), source: { kind: 'env' } });
const meta = (p: Payload, key: string) => Buffer.from(p.metadata![key]).toString('utf8');

/** A case update's argument as a client sends it: the note is what must never be readable in Temporal. */
const NOTE = 'Ringte mora, ho seier Åse jobbar på Rema i Åsane';
const argument = { type: 'REPLY', channel: 'phone', note: NOTE, by: 'Kari Kontor' };

describe('the payload codec', () => {
  const first = entry('k1');
  const second = entry('k2');

  it('encrypts a payload whole, says so in its metadata, and gives it back as it was', async () => {
    const codec = new PayloadEncryptionCodec(ring(first));
    const plain = defaultPayloadConverter.toPayload(argument);
    const [sealed] = await codec.encode([plain]);
    expect(meta(sealed, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(sealed, KEY_ID_METADATA)).toBe('k1');
    // Neither the note nor the inner encoding is readable in the bytes Temporal stores.
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('Rema');
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed]);
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(argument);
    expect(meta(opened, 'encoding')).toBe('json/plain');
    // A fresh IV each time: the same value never encrypts to the same bytes.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again.data!).equals(Buffer.from(sealed.data!))).toBe(false);
  });

  it('encrypts with the newest key after a rotation, and still decrypts what the old key encrypted', async () => {
    const before = new PayloadEncryptionCodec(ring(first));
    const [old] = await before.encode([defaultPayloadConverter.toPayload(argument)]);
    const after = new PayloadEncryptionCodec(ring(first, second));
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload(argument)]);
    expect(meta(fresh, KEY_ID_METADATA)).toBe('k2');
    const decoded = await after.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([argument, argument]);
  });

  it('refuses a payload whose key is not in the ring, naming the key id and nothing of the payload', async () => {
    const [sealed] = await new PayloadEncryptionCodec(ring(first, second)).encode([defaultPayloadConverter.toPayload(argument)]);
    const without = new PayloadEncryptionCodec(ring(first));
    const failure = await without.decode([sealed]).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(PayloadDecryptionError);
    expect((failure as Error).message).toMatch(/encrypted with key k2, which is not in this process's payload key ring \(k1\)/);
    expect((failure as Error).message).not.toContain(Buffer.from(sealed.data!).toString('base64').slice(0, 12));
    expect((failure as Error).message).not.toContain(NOTE);
  });

  it('refuses changed ciphertext, a changed key id and a key of the same id that is not the one used', async () => {
    const keys = ring(first, second);
    const codec = new PayloadEncryptionCodec(keys);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(argument)]);
    const flipped = Buffer.from(sealed.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...sealed, data: flipped }])).rejects.toThrow(/key k2 fails its authentication/);
    // The key id is authenticated too: naming the other key of the ring is refused, not tried.
    const renamed = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('k1') } };
    await expect(codec.decode([renamed])).rejects.toThrow(/key k1 fails its authentication/);
    await expect(new PayloadEncryptionCodec(ring(first, entry('k2'))).decode([sealed])).rejects.toThrow(/fails its authentication/);
    await expect(codec.decode([{ ...sealed, data: flipped.subarray(0, 10) }])).rejects.toThrow(/too short/);
    const nameless = { ...sealed, metadata: { encoding: sealed.metadata!.encoding } };
    await expect(codec.decode([nameless])).rejects.toThrow(/names no encryption key id/);
  });

  it('passes a payload without the encrypted encoding through as it is (histories from before the codec)', async () => {
    const codec = new PayloadEncryptionCodec(ring(first));
    const plain = defaultPayloadConverter.toPayload(argument);
    const nothing = defaultPayloadConverter.toPayload(undefined);
    expect(await codec.decode([plain, nothing])).toEqual([plain, nothing]);
  });
});

describe('the payload key ring in the configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ot-payload-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string>) => loadConfig({ OT_DATA_DIR: dir, OT_CASE_ID_KEY: 'a-case-id-key-of-enough-length', ...env });

  it('reads OT_PAYLOAD_KEYS, oldest first, separated by commas or whitespace', () => {
    const keys = load({ OT_PAYLOAD_KEYS: `${entry('a')} ,\n${entry('2027-b')}` }).payloadKeys;
    expect(keys.keys.map((k) => k.id)).toEqual(['a', '2027-b']);
    expect(keys.source).toEqual({ kind: 'env' });
  });

  it('reads a mounted key file, with comments', () => {
    const file = path.join(dir, 'secret');
    writeFileSync(file, `# the county's keys\n${entry('old')}\n\n${entry('new')}  # since March\n`);
    expect(load({ OT_PAYLOAD_KEYS_FILE: file }).payloadKeys).toEqual({
      keys: [expect.objectContaining({ id: 'old' }), expect.objectContaining({ id: 'new' })],
      source: { kind: 'file', file },
    });
  });

  it('refuses what is not a key ring, naming the variable and the entry but never a key', () => {
    const short = `a=${randomBytes(16).toString('base64')}`;
    expect(() => load({ OT_PAYLOAD_KEYS: short })).toThrow('OT_PAYLOAD_KEYS, key 1 (a): the key must be 32 bytes in base64');
    expect(() => load({ OT_PAYLOAD_KEYS: short })).not.toThrow(short.slice(2));
    expect(() => load({ OT_PAYLOAD_KEYS: `${entry('a')},${entry('a')}` })).toThrow('OT_PAYLOAD_KEYS, key 2 (a): the id a is given twice');
    const bare = randomBytes(32).toString('base64');
    expect(() => load({ OT_PAYLOAD_KEYS: bare })).toThrow(/^OT_PAYLOAD_KEYS, key 1: write ID=KEY/);
    expect(() => load({ OT_PAYLOAD_KEYS: bare })).not.toThrow(bare.slice(0, 20));
    expect(() => load({ OT_PAYLOAD_KEYS: `bad id!=${randomBytes(32).toString('base64')}` })).toThrow(/write ID=KEY/);
    expect(() => load({ OT_PAYLOAD_KEYS: ' , ' })).toThrow(/OT_PAYLOAD_KEYS holds no key/);
    expect(() => load({ OT_PAYLOAD_KEYS: `a=${'!'.repeat(44)}` })).toThrow(/32 bytes in base64/);
    expect(() => load({ OT_PAYLOAD_KEYS_FILE: path.join(dir, 'missing') })).toThrow(/OT_PAYLOAD_KEYS_FILE .*missing cannot be read \(ENOENT\)/);
    expect(() => load({ OT_PAYLOAD_KEYS: entry('a'), OT_PAYLOAD_KEYS_FILE: path.join(dir, 'x') })).toThrow(/not both/);
  });

  it('must be given in production; a local stack makes its key file once, for its owner only', () => {
    expect(() => load({ NODE_ENV: 'production', OT_SESSION_SECRET: 's'.repeat(32) })).toThrow(
      'OT_PAYLOAD_KEYS or OT_PAYLOAD_KEYS_FILE is required in production (NODE_ENV=production)',
    );
    const made = load({}).payloadKeys;
    const file = path.join(dir, 'payload-keys');
    expect(made.source).toEqual({ kind: 'local', file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(load({}).payloadKeys.keys).toEqual(made.keys);
  });

  it('adds a new newest key to the local file, keeping the old ones', () => {
    const { keys, file } = localPayloadKeys(dir);
    const id = appendPayloadKey(file, new Date('2027-03-01T12:00:00Z'));
    expect(id).toMatch(/^k20270301-[0-9a-f]{6}$/);
    const after = localPayloadKeys(dir).keys;
    expect(after.map((k) => k.id)).toEqual([keys[0].id, id]);
    expect(after[0].key).toEqual(keys[0].key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^# The keys of the Temporal payload codec/);
  });
});
