import { addressProblem, printOrder, resentLetter, sameAddress, standardLetters, type PersonForLetter } from '../../domain/letter-recipients';

const home = { street: 'Kalfarveien 2', postcode: '5016', city: 'Bergen' };
const person = (over: Partial<PersonForLetter> = {}): PersonForLetter => ({
  caseId: 'c1',
  firstName: 'Mia',
  lastName: 'Næss',
  address: home,
  address2: null,
  guardians: [],
  under18: false,
  ...over,
});

describe('the standard letter of a youth', () => {
  it('goes to the youth alone from 18', () => {
    const { letters, held } = standardLetters(
      person({ guardians: [{ name: 'Per Næss', address: { street: 'Sandviksveien 40', postcode: '5035', city: 'Bergen' } }] }),
      'nn',
    );
    expect(held).toEqual([]);
    expect(letters).toEqual([
      {
        caseId: 'c1',
        round: 0,
        recipient: 'youth',
        kind: 'youth',
        addressee: ['Mia Næss'],
        address: home,
        youth: { firstName: 'Mia', lastName: 'Næss' },
      },
    ]);
  });

  it('under 18 is addressed to the youth and the guardians, with a copy for each guardian living elsewhere', () => {
    const elsewhere = { street: 'Sandviksveien 40', postcode: '5035', city: 'Bergen' };
    const { letters } = standardLetters(
      person({
        under18: true,
        guardians: [
          { name: 'Per Næss', address: elsewhere },
          { name: 'Kari Næss', address: { street: 'kalfarveien  2.', postcode: '5016', city: 'BERGEN' } },
        ],
      }),
      'nn',
    );
    expect(letters.map((l) => [l.recipient, l.kind, l.addressee, l.address.street])).toEqual([
      ['youth', 'youthAndGuardians', ['Mia Næss', 'og føresette'], 'Kalfarveien 2'],
      ['guardian1', 'guardianCopy', ['Per Næss'], 'Sandviksveien 40'],
    ]);
    expect(standardLetters(person({ under18: true }), 'nb').letters[0].addressee).toEqual(['Mia Næss', 'og foresatte']);
  });

  it('holds a letter without a full name or a whole address, and a guardian copy with a broken address', () => {
    expect(standardLetters(person({ lastName: ' ' }), 'nn')).toEqual({
      letters: [],
      held: [{ caseId: 'c1', recipient: 'youth', reason: 'no full name' }],
    });
    expect(standardLetters(person({ address: { street: '', postcode: '5016', city: 'Bergen' } }), 'nn').held[0].reason).toBe(
      'the address has no street',
    );
    expect(standardLetters(person({ address: { street: 'X 1', postcode: '516', city: 'Bergen' } }), 'nn').held[0].reason).toBe(
      'the postnummer is not 4 digits',
    );
    expect(standardLetters(person({ address: null }), 'nn').held[0].reason).toBe('no address');
    const g = standardLetters(person({ under18: true, guardians: [{ name: 'Per', address: { street: 'Y 2', postcode: '5035', city: '' } }] }), 'nn');
    expect(g.letters.map((l) => l.recipient)).toEqual(['youth']);
    expect(g.held).toEqual([{ caseId: 'c1', recipient: 'guardian1', reason: 'the address has no poststad' }]);
  });
});

describe('a letter sent again after a return', () => {
  const second = { street: 'Nygata 2', postcode: '5017', city: 'Bergen' };
  it('goes to the second address first, then to an address registered since, never twice to the same one', () => {
    const p = person({ address2: second, under18: true, guardians: [{ name: 'Per', address: second }] });
    const first = resentLetter(p, 1, [home], 'nn');
    expect(first).toMatchObject({ round: 1, recipient: 'youth', kind: 'youthAndGuardians', address: second });
    expect(resentLetter(p, 2, [home, second], 'nn')).toBeUndefined();
    const moved = person({ address: { street: 'Fjøsanger 9', postcode: '5063', city: 'Bergen' }, address2: home });
    expect(resentLetter(moved, 2, [home, second], 'nn')?.address.street).toBe('Fjøsanger 9');
  });
});

describe('the print order and the quality check', () => {
  it('sorts by postnummer, then by name', () => {
    const l = (postcode: string, name: string) => standardLetters(person({ address: { ...home, postcode }, firstName: name }), 'nn').letters[0];
    const sorted = [l('5020', 'Ola'), l('5003', 'Åse'), l('5003', 'Anna')].sort(printOrder).map((x) => x.addressee[0]);
    expect(sorted).toEqual(['Anna Næss', 'Åse Næss', 'Ola Næss']);
  });
  it('knows a whole address and the same address written two ways', () => {
    expect(addressProblem(home)).toBeUndefined();
    expect(sameAddress(home, { street: 'KALFARVEIEN 2', postcode: '5016', city: 'bergen' })).toBe(true);
    expect(sameAddress(home, { ...home, postcode: '5015' })).toBe(false);
  });
});
