import { defineConfig } from 'vitest/config';

// The in-process unit tests of the layers `npm run mutation` mutates (ops, autograd, nn, optim,
// init, and the grader's scoring), with the helpers and conformance cases that exercise them. The
// grader tests here score notebooks built in memory; none starts a kernel. (test/grader/grading.test.ts
// is left out: its sandbox tests look for folders that Stryker's copy of the project leaves out.) The kernel, notebook, browser
// and training tests are left out: they are slow, and the library code they run is covered here.
export default defineConfig({
  test: {
    include: [
      'test/ops/**/*.test.ts',
      'test/autograd/**/*.test.ts',
      'test/nn/**/*.test.ts',
      'test/optim/**/*.test.ts',
      'test/init/**/*.test.ts',
      'test/testing/assertClose.test.ts',
      'test/conformance/**/*.test.ts',
      'test/grader/scoring.test.ts',
      'test/grader/feedback.test.ts',
    ],
    testTimeout: 30_000,
    pool: 'forks',
    // One module cache for all files: a mutant run re-imports nothing. Mutants are switched on and
    // off at run time, so sharing modules is safe; tests that rely on global state set it themselves.
    // A change to a module-level constant would need a fresh import, so stryker.config.json skips
    // those ("ignoreStatic").
    isolate: false,
  },
});
