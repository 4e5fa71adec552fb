import { Field, Input, Label, Select, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import type { ChangeEvent, ReactNode } from 'react';
import { ApiError } from '../../api';
import { useText, type Texts } from '../../i18n';

/** The school year every tab of the Operator page works on: one value, kept while moving between the tabs. */
export interface SchoolYearState {
  schoolYear: string;
  setSchoolYear: (year: string) => void;
}

const TEXT: Texts<{ schoolYear: string; schoolYearHelp: string; notUtf8: string; noFile: string; unreadable: string }> = {
  nn: {
    schoolYear: 'Skuleår',
    schoolYearHelp: 'Året skuleåret startar, til dømes 2026 for 2026/27.',
    notUtf8: 'Fila er ikkje UTF-8: lagra ho frå Excel som «CSV UTF-8».',
    noFile: 'Vel ei fil.',
    unreadable: 'Fila kunne ikkje lesast.',
  },
  nb: {
    schoolYear: 'Skoleår',
    schoolYearHelp: 'Året skoleåret starter, for eksempel 2026 for 2026/27.',
    notUtf8: 'Filen er ikke UTF-8: lagre den fra Excel som «CSV UTF-8».',
    noFile: 'Velg en fil.',
    unreadable: 'Filen kunne ikke leses.',
  },
};

export function SchoolYearField({ schoolYear, setSchoolYear, error }: SchoolYearState & { error?: string }) {
  const t = useText(TEXT);
  return (
    <Textfield
      label={t.schoolYear}
      description={t.schoolYearHelp}
      name="schoolYear"
      inputMode="numeric"
      autoComplete="off"
      value={schoolYear}
      onChange={(e) => setSchoolYear(e.target.value.trim())}
      error={error}
      className="ot-field-short"
    />
  );
}

/** A file the user picked could not be used as it is: said beside the file field, never sent. */
export class FileProblem extends Error {}

/** The picked file's text: UTF-8 only, as the CLI reads it (a file saved as "CSV" from Excel in Windows-1252 is refused, not garbled). */
export function useFileReader(): (file: File | null | undefined) => Promise<string> {
  const t = useText(TEXT);
  return async (file) => {
    if (!file) throw new FileProblem(t.noFile);
    let bytes: ArrayBuffer;
    try {
      bytes = await file.arrayBuffer();
    } catch {
      throw new FileProblem(t.unreadable);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new FileProblem(t.notUtf8);
    }
  };
}

/**
 * The reasons of a failed request by field: the API's own (`field: reason; …`), and a file that could not be read as `file`.
 * `rest` is the failure when it names none of the form's fields: for an Alert.
 */
export function reasonsOf(
  error: Error | null,
  fields: readonly string[],
  aliases: Record<string, string> = {},
): { by: Record<string, string>; rest?: Error } {
  if (!error) return { by: {} };
  if (error instanceof FileProblem) return { by: { file: error.message } };
  if (!(error instanceof ApiError)) return { by: {}, rest: error };
  const by: Record<string, string> = {};
  for (const [field, reason] of Object.entries(error.fieldReasons())) {
    // An item of a list (units.0) is the list's field.
    const name = aliases[field] ?? field.replace(/\.\d+$/, '');
    if (fields.includes(name)) by[name] = by[name] ? `${by[name]}; ${reason}` : reason;
  }
  return Object.keys(by).length ? { by } : { by, rest: error };
}

/** A file input with its label and the reason beside it (Designsystemet has no plain file field). */
export function FileField({
  label,
  description,
  error,
  onFile,
  accept = '.csv,.txt,text/csv,text/plain',
}: {
  label: ReactNode;
  description?: ReactNode;
  error?: string;
  onFile: (file: File | null) => void;
  accept?: string;
}) {
  return (
    <Field>
      <Label>{label}</Label>
      {description && <Field.Description>{description}</Field.Description>}
      <Input
        type="file"
        name="file"
        accept={accept}
        aria-invalid={Boolean(error) || undefined}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onFile(e.target.files?.[0] ?? null)}
      />
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Field>
  );
}

/** A native select with its label and the reason beside it. */
export function SelectField({
  label,
  name,
  value,
  onChange,
  error,
  options,
}: {
  label: ReactNode;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  options: { value: string; label: string }[];
}) {
  return (
    <Field>
      <Label>{label}</Label>
      <Select name={name} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={Boolean(error) || undefined} width="auto">
        {options.map((o) => (
          <Select.Option key={o.value} value={o.value}>
            {o.label}
          </Select.Option>
        ))}
      </Select>
      {error && <ValidationMessage>{error}</ValidationMessage>}
    </Field>
  );
}

/** Line numbers as a short list: 2, 5, 9. */
export function lines(numbers: number[]): string {
  return numbers.join(', ');
}
