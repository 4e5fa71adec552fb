import { readFileSync } from 'node:fs';
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
