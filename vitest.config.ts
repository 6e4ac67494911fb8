import { defineConfig } from 'vitest/config';

// Tests import the library from src/ (type-checked by tsc) and the notebook/CLI tests run the built
// dist/ through real processes; `npm test` builds first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
