import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Reading PDFs back in tests. unpdf (PDF.js) cannot run inside jest's sandbox: it loads PDF.js with a dynamic
 * import(), which jest refuses without --experimental-vm-modules. So read-pdf.mjs runs it in a child node.
 */

export interface PdfTextItem {
  /** 1-based. */
  page: number;
  str: string;
  /** Points from the left edge. */
  x: number;
  width: number;
  /** Points from the top edge to the text's baseline. */
  baseline: number;
  size: number;
}
export interface PdfReading {
  pages: string[];
  items: PdfTextItem[];
  info: Record<string, unknown>;
}

const SCRIPT = path.join(__dirname, 'read-pdf.mjs');

export function readPdf(buffer: Buffer | Uint8Array): Promise<PdfReading> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`read-pdf.mjs exited with ${code}: ${Buffer.concat(err).toString()}`));
      resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as PdfReading);
    });
    child.stdin.end(Buffer.from(buffer));
  });
}

/** The text of each page. */
export async function pdfPages(buffer: Buffer | Uint8Array): Promise<string[]> {
  return (await readPdf(buffer)).pages;
}
