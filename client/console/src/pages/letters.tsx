import { Heading } from '@digdir/designsystemet-react';

// Placeholder until this page is built.
export function Letters() {
  return (
    <Heading level={2} data-size="md">
      Brev
    </Heading>
  );
}
