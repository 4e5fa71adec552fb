import { Heading } from '@digdir/designsystemet-react';

// Placeholder until this page is built.
export function Operator() {
  return (
    <Heading level={2} data-size="md">
      Operatør
    </Heading>
  );
}
