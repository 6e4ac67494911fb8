/** Every conformance kind the library implements, by the name suites use. */
import type { KindRunner } from './kind';
import { coreKinds } from './kinds/core';
import { nnKinds } from './kinds/nn';
import { optimKinds } from './kinds/optim';

/** Kind name to implementation. A kind missing here fails its cases. */
export const kinds: Readonly<Record<string, KindRunner>> = {
  ...coreKinds,
  ...nnKinds,
  ...optimKinds,
};
