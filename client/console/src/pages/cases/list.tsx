import { Heading } from '@digdir/designsystemet-react';

// Placeholder until this page is built.
export function CaseList() {
  return (
    <Heading level={2} data-size="md">
      Saker
    </Heading>
  );
}
