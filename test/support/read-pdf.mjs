// Reads a PDF on stdin and prints what a reader gets back, as JSON: each page's text, each text run with its
// position, and the document's metadata. A script of its own because unpdf loads PDF.js with a dynamic
// import(), which jest's module sandbox refuses without --experimental-vm-modules.
import { extractText, getDocumentProxy } from 'unpdf';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
try {
  const { text } = await extractText(pdf, { mergePages: false });
  const items = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const [, , , height] = page.view;
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || item.str === '') continue;
      // transform is [a b c d e f] in PDF space (origin bottom left); the baseline from the top is height - f.
      items.push({
        page: n,
        str: item.str,
        x: item.transform[4],
        width: item.width,
        baseline: height - item.transform[5],
        size: Math.abs(item.transform[3]),
      });
    }
  }
  const { info } = await pdf.getMetadata();
  process.stdout.write(JSON.stringify({ pages: text, items, info }));
} finally {
  await pdf.loadingTask.destroy();
}
