import { movedText } from '../../client/cli/call-commands';

describe('a moved call in `ot calls list`', () => {
  it('says from whom, when, by whom and why, as the file does', () => {
    const at = '2026-12-03T07:11:02.019Z';
    expect(movedText({ moved: { from: 'Per Pratsam', at, by: 'Kari Kontor', reason: 'reassigned' } })).toBe(
      'from Per Pratsam 2026-12-03 08:11:02 by Kari Kontor (reassigned)',
    );
    expect(movedText({ moved: { from: 'Ola Telefon', at, by: 'Kari Kontor', reason: 'staff-removed' } })).toBe(
      'from Ola Telefon 2026-12-03 08:11:02 by Kari Kontor (their caller left the unit)',
    );
    expect(movedText({})).toBe('');
  });
});
