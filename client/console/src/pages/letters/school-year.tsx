import { Textfield } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { schoolYearSchema } from '../../../../../schemas/cohort-policy';
import { useText, type Texts } from '../../i18n';
import { SCHOOL_YEAR_PARAM, schoolYearOf } from '../../school-year';

/** The school year a page shows (school-year.ts), and how the page's picker changes it. */
export function useSchoolYear(): [number, (year: number) => void] {
  const [params, setParams] = useSearchParams();
  const year = schoolYearOf(params.get(SCHOOL_YEAR_PARAM));
  const choose = (y: number) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(SCHOOL_YEAR_PARAM, String(y));
        return next;
      },
      { replace: true },
    );
  return [year, choose];
}

const TEXT: Texts<{ label: string; span: (y: number) => string; invalid: string }> = {
  nn: {
    label: 'Skuleår',
    span: (y) => `Skuleåret ${y} er frå 1. august ${y} til 31. juli ${y + 1}.`,
    invalid: 'Skriv skuleåret som eit årstal mellom 2000 og 2100, til dømes 2026.',
  },
  nb: {
    label: 'Skoleår',
    span: (y) => `Skoleåret ${y} er fra 1. august ${y} til 31. juli ${y + 1}.`,
    invalid: 'Skriv skoleåret som et årstall mellom 2000 og 2100, for eksempel 2026.',
  },
};

/** The school-year picker: checked as the API checks it (schemas/cohort-policy.ts) before the page asks for another year. */
export function SchoolYearField({ year, onChange }: { year: number; onChange: (year: number) => void }) {
  const t = useText(TEXT);
  const [typed, setTyped] = useState(String(year));
  const parsed = schoolYearSchema.safeParse(typed);
  const valid = parsed.success && /^\d{4}$/.test(typed.trim());
  return (
    <Textfield
      className="ot-school-year"
      label={t.label}
      description={t.span(valid ? parsed.data : year)}
      inputMode="numeric"
      name="schoolYear"
      value={typed}
      error={valid ? undefined : t.invalid}
      onChange={(e) => {
        const v = e.target.value;
        setTyped(v);
        const p = schoolYearSchema.safeParse(v);
        if (p.success && /^\d{4}$/.test(v.trim())) onChange(p.data);
      }}
    />
  );
}
