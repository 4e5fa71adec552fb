import { makeNationalId } from '../../schemas/national-id';

/** Valid national ids for test rows, one per call, born on the given date. */
export function idFactory() {
  let serial = 0;
  const issued = new Set<string>();
  return (birthDate: string, dNumber = false): string => {
    for (;;) {
      const id = makeNationalId(birthDate, serial++, dNumber);
      if (id && !issued.has(id)) {
        issued.add(id);
        return id;
      }
    }
  };
}

export const HEADER =
  'fodselsnummer;fornavn;etternavn;adresse;postnummer;poststad;adresse2;postnummer2;poststad2;mobil;epost;ot_eining;os_kode;saksbehandlar;ot_status;foresatt1_namn;foresatt1_adresse;foresatt1_postnummer;foresatt1_poststad';

export interface TestRow {
  id: string;
  first?: string;
  last?: string;
  address?: [string, string, string] | null;
  address2?: [string, string, string];
  mobile?: string;
  unit?: string;
  os?: string;
  caseworker?: string;
  status?: string;
  guardian?: [string, string, string, string];
}

export function transferFile(rows: TestRow[]): string {
  const lines = rows.map((r) => {
    const a = r.address === null ? ['', '', ''] : (r.address ?? ['Strandgaten 1', '5013', 'Bergen']);
    const a2 = r.address2 ?? ['', '', ''];
    const g = r.guardian ?? ['', '', '', ''];
    return [
      r.id,
      r.first ?? 'Åse',
      r.last ?? 'Bø',
      ...a,
      ...a2,
      r.mobile ?? '',
      '',
      r.unit ?? '12250',
      r.os ?? 'OSON',
      r.caseworker ?? '',
      r.status ?? '',
      ...g,
    ].join(';');
  });
  return [HEADER, ...lines].join('\r\n') + '\r\n';
}
