import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { CliError } from './context';

/** A file a user names: UTF-8 text, or a one-line reason why not. */
export function readTextFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return text.decode(bytes);
  } catch {
    throw new CliError(`${file} is not UTF-8: save it from Excel as "CSV UTF-8"`);
  }
}

/** Writes a file a user names and waits until it is on disk; a one-line reason why not. */
export async function writeTextFileDurably(file: string, text: string): Promise<void> {
  try {
    const handle = await open(file, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message}`);
  }
}

/** Writes to standard output and waits until it took the text (a closed pipe is an error, not a lost text). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}
