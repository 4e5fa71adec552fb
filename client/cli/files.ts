import { readFileSync } from 'node:fs';
import path from 'node:path';
import { privateFolder, writePrivateFile } from '../../domain/private-files';
import type { Config } from '../../schemas/config';
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

/** Writes a file a user names, owner-only (it holds personal data), and waits until it is on disk; a one-line reason why not. */
export async function writeTextFileDurably(file: string, text: string): Promise<void> {
  try {
    await writePrivateFile(file, text);
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message}`);
  }
}

/**
 * Where a file goes that the user named no path for: the data folder's exports/ (owner-only, like the data folder's other
 * personal data), never the working directory, where it would be left behind and shared by whoever can read that folder.
 */
export function defaultExportPath(config: Config, name: string): string {
  return path.join(privateFolder(path.join(config.dataDir, 'exports')), name);
}

/** Writes to standard output and waits until it took the text (a closed pipe is an error, not a lost text). */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}
