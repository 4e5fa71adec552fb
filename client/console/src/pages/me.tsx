import { Heading, Radio, Fieldset, Table, TableBody, TableRow, TableHeaderCell, TableCell } from '@digdir/designsystemet-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { put } from '../api';
import { Failure } from '../components/query-state';
import { LANGUAGES, useLanguage, useText, type Language, type Texts } from '../i18n';
import { ME_KEY, useMe } from '../session';
import { ROLE_NAMES } from '../words';

const TEXT: Texts<{
  heading: string;
  name: string;
  username: string;
  role: string;
  units: string;
  allUnits: string;
  language: string;
  languageHelp: string;
  languages: Record<Language, string>;
}> = {
  nn: {
    heading: 'Meg',
    name: 'Namn',
    username: 'Brukarnamn',
    role: 'Rolle',
    units: 'Einingar',
    allUnits: 'heile fylket',
    language: 'Språk i konsollen',
    languageHelp: 'Valet gjeld kontoen din, på alle maskiner.',
    languages: { nn: 'Nynorsk', nb: 'Bokmål' },
  },
  nb: {
    heading: 'Meg',
    name: 'Navn',
    username: 'Brukernavn',
    role: 'Rolle',
    units: 'Enheter',
    allUnits: 'hele fylket',
    language: 'Språk i konsollen',
    languageHelp: 'Valget gjelder kontoen din, på alle maskiner.',
    languages: { nn: 'Nynorsk', nb: 'Bokmål' },
  },
};

/** Who am I: the account, its role and units, and the console's language for this user. */
export function MePage() {
  const me = useMe();
  const t = useText(TEXT);
  const lang = useLanguage();
  const queryClient = useQueryClient();
  const choose = useMutation({
    mutationFn: (language: Language) => put('/auth/me/language', { language }),
    onSuccess: (_, language) => {
      localStorage.setItem('ot-language', language);
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  return (
    <div className="ot-stack ot-narrow">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Table>
        <TableBody>
          <TableRow>
            <TableHeaderCell scope="row">{t.name}</TableHeaderCell>
            <TableCell>{me.displayName}</TableCell>
          </TableRow>
          <TableRow>
            <TableHeaderCell scope="row">{t.username}</TableHeaderCell>
            <TableCell>{me.username}</TableCell>
          </TableRow>
          <TableRow>
            <TableHeaderCell scope="row">{t.role}</TableHeaderCell>
            <TableCell>{ROLE_NAMES[lang][me.role]}</TableCell>
          </TableRow>
          <TableRow>
            <TableHeaderCell scope="row">{t.units}</TableHeaderCell>
            <TableCell>{me.units.length ? me.units.join(', ') : t.allUnits}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Fieldset>
        <Fieldset.Legend>{t.language}</Fieldset.Legend>
        <Fieldset.Description>{t.languageHelp}</Fieldset.Description>
        {LANGUAGES.map((l) => (
          <Radio key={l} name="language" value={l} label={t.languages[l]} checked={me.language === l} onChange={() => choose.mutate(l)} lang={l} />
        ))}
      </Fieldset>
      {choose.error && <Failure error={choose.error} />}
    </div>
  );
}
