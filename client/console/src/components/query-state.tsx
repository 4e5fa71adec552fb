import { Alert, Heading, Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useText, type Texts } from '../i18n';

const TEXT: Texts<{ loading: string; failed: string }> = {
  nn: { loading: 'Hentar …', failed: 'Noko gjekk gale' },
  nb: { loading: 'Henter …', failed: 'Noe gikk galt' },
};

/** Shown while a page's data is on its way. */
export function Loading() {
  const t = useText(TEXT);
  return <Spinner aria-label={t.loading} data-size="md" />;
}

/** What failed, in the API's words (never a stack trace); what the user typed stays in the form above it. */
export function Failure({ error, what }: { error: Error; what?: string }) {
  const t = useText(TEXT);
  return (
    <Alert data-color="danger" role="alert">
      <Heading level={3} data-size="xs">
        {what ?? t.failed}
      </Heading>
      <Paragraph>{error.message}</Paragraph>
    </Alert>
  );
}
