import { Heading, Paragraph } from '@digdir/designsystemet-react';
import { Link as RouterLink } from 'react-router';
import { useText, type Texts } from '../i18n';

const TEXT: Texts<{ heading: string; body: string; home: string }> = {
  nn: { heading: 'Fann ikkje sida', body: 'Sida finst ikkje, eller du har ikkje tilgang til ho.', home: 'Til startsida' },
  nb: { heading: 'Fant ikke siden', body: 'Siden finnes ikke, eller du har ikke tilgang til den.', home: 'Til startsiden' },
};

export function NotFound() {
  const t = useText(TEXT);
  return (
    <div className="ot-stack">
      <Heading level={2} data-size="md">
        {t.heading}
      </Heading>
      <Paragraph>{t.body}</Paragraph>
      <Paragraph>
        <RouterLink to="/" className="ds-link">
          {t.home}
        </RouterLink>
      </Paragraph>
    </div>
  );
}
