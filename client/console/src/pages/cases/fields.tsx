import { Field, Label, Select, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import { OS_CODES, OT_STATUS_GROUPS, type OtGroup } from '../../../../../schemas/ot-codes';
import { useLanguage } from '../../i18n';
import { GROUP_NAMES, statusLabel } from '../../words';

/** A native select with its label and the API's reason under it, as Textfield does for an input. */
export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Field>
      <Label>{props.label}</Label>
      {props.description && <Field.Description>{props.description}</Field.Description>}
      <Select name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-invalid={Boolean(props.error) || undefined}>
        {props.children}
      </Select>
      {props.error && <ValidationMessage>{props.error}</ValidationMessage>}
    </Field>
  );
}

/** UDIR's status codes of these groups, one option group per UDIR group, each code named beside it. */
export function StatusOptions({ groups, withOsCodes = false }: { groups: readonly OtGroup[]; withOsCodes?: boolean }) {
  const lang = useLanguage();
  return (
    <>
      {withOsCodes && (
        <Select.Optgroup label={lang === 'nn' ? 'OS-kodar (før omkodinga)' : 'OS-koder (før omkodingen)'}>
          {OS_CODES.map((code) => (
            <Select.Option key={code} value={code}>
              {statusLabel(code, lang)}
            </Select.Option>
          ))}
        </Select.Optgroup>
      )}
      {groups.map((group) => (
        <Select.Optgroup key={group} label={`${group} ${GROUP_NAMES[lang][group]}`}>
          {OT_STATUS_GROUPS[group].map((code) => (
            <Select.Option key={code} value={code}>
              {statusLabel(code, lang)}
            </Select.Option>
          ))}
        </Select.Optgroup>
      ))}
    </>
  );
}
