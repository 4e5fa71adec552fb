import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSmsTemplate } from '../../domain/sms-template';

describe('the SMS template', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ot-sms-template-'));
  const ownFor = (year: number, text: string) => {
    mkdirSync(path.join(dir, String(year)), { recursive: true });
    writeFileSync(path.join(dir, String(year), 'sms.txt'), text);
  };

  it('is the seed’s suggested text unless the school year has its own', () => {
    const text = loadSmsTemplate(dir, 2040)({ fornamn: 'Åse', eining: 'Voss' });
    expect(text).toMatch(/^Hei\. Vi sendte deg et brev fra Oppfølgingstjenesten for en uke siden\..*Hilsen OT\/PPT\.$/);
  });

  it('fills the first name and the unit of a year’s own text', () => {
    ownFor(2041, '\uFEFFHei {{fornamn}}!\nOT i {{ eining }} vil gjerne høyre frå deg.\n');
    expect(loadSmsTemplate(dir, 2041)({ fornamn: 'Åse', eining: 'Voss' })).toBe('Hei Åse! OT i Voss vil gjerne høyre frå deg.');
  });

  it('refuses an unknown placeholder, an empty text and one too long to send', () => {
    ownFor(2042, 'Hei {{namn}}');
    expect(() => loadSmsTemplate(dir, 2042)).toThrow(/unknown placeholder \{\{namn\}\}; known: fornamn, eining/);
    ownFor(2043, '  \n');
    expect(() => loadSmsTemplate(dir, 2043)).toThrow(/the SMS text is empty/);
    ownFor(2044, 'x'.repeat(600) + '{{fornamn}}');
    expect(() => loadSmsTemplate(dir, 2044)).toThrow(/at most 612 are sent/);
  });
});
