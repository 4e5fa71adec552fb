import type { Command } from 'commander';
import { appendPayloadKey } from '../../runtime/payload-keys';
import { CliError, type CliContext } from './context';
import { printJson, table } from './output';

/** Where this process's key ring comes from, in words. */
function sourceOf(c: CliContext): string {
  const s = c.config.payloadKeys.source;
  return s.kind === 'env' ? 'OT_PAYLOAD_KEYS' : s.kind === 'file' ? `OT_PAYLOAD_KEYS_FILE ${s.file}` : `the local key file ${s.file}`;
}

/**
 * The payload codec's keys (runtime/payload-codec.ts): their ids, never their material, and a new key for
 * the local stack's file. Production keeps its keys in OT_PAYLOAD_KEYS or a mounted secret, which the
 * operator changes there (README, "The payload codec").
 */
export function addPayloadKeyCommands(program: Command, ctx: () => CliContext, json: () => boolean): void {
  const keys = program.command('payload-keys').description("the keys that encrypt Temporal's payloads: their ids, and rotation");
  keys
    .command('list')
    .description('the key ids, oldest first, and which one encrypts new payloads (never the keys themselves)')
    .action(() => {
      const c = ctx();
      const ring = c.config.payloadKeys.keys;
      const rows = ring.map((k, i) => ({ id: k.id, use: i === ring.length - 1 ? 'newest: encrypts new payloads' : 'decrypts its own payloads' }));
      if (json()) printJson({ source: c.config.payloadKeys.source, keys: rows.map((r, i) => ({ id: r.id, newest: i === rows.length - 1 })) });
      else process.stdout.write(`${table(rows, ['id', 'use'])}\nfrom ${sourceOf(c)}\n`);
    });
  keys
    .command('rotate')
    .description("add a new key to the local stack's key file: new payloads use it, old ones keep theirs; restart the stack after")
    .action(() => {
      const c = ctx();
      const source = c.config.payloadKeys.source;
      if (source.kind !== 'local')
        throw new CliError(
          `the keys come from ${sourceOf(c)}: add the new key there (ID=KEY, the key from \`openssl rand -base64 32\`, last in the list) and restart every worker, API and CLI host together (README, "The payload codec")`,
        );
      const id = appendPayloadKey(source.file);
      c.audited([], `payload key ${id}`);
      if (json()) printJson({ file: source.file, newest: id });
      else
        process.stdout.write(
          `added key ${id} to ${source.file}: it encrypts new payloads once the worker and the API restart (Ctrl-C and npm start); the older keys still decrypt theirs\n`,
        );
    });
}
