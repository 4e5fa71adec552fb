import { Heading } from '@digdir/designsystemet-react';

// Placeholder until this page is built.
export function SmsInbox() {
  return (
    <Heading level={2} data-size="md">
      Svar som ventar
    </Heading>
  );
}
