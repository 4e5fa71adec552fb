import { chmodSync, closeSync, createWriteStream, fchmodSync, mkdirSync, openSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Files the system writes hold personal data (names, addresses, mobiles, notes): only their owner may read them. A new file
 * is made 0600 and a folder we make 0700; a file that was there already is set to 0600 too, since open() keeps the mode of
 * an existing file. A folder the user named and made is theirs: its mode is left alone.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_FOLDER_MODE = 0o700;

/** Makes a folder (and its missing parents) that only the owner may enter; returns it. */
export function privateFolder(dir: string): string {
  const first = mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  // mkdir's mode is masked by the umask: set the folders it made exactly.
  if (first) chmodSync(dir, PRIVATE_FOLDER_MODE);
  return dir;
}

/** Writes a whole file, owner-only, and waits until it is on disk. */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A write stream to an owner-only file (the letters' PDF). */
export function privateWriteStream(file: string, options: { highWaterMark?: number } = {}): WriteStream {
  const fd = openSync(file, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return createWriteStream('', { ...options, fd });
}
