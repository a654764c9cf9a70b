import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generous on purpose: npm test must pass on a loaded 2-core machine (several suites side by side),
    // where a CLI run or the catalog's whole-fixture sweep can take many times its idle duration.
    // A timeout is a hang detector here, never a speed assertion (npm run bench measures speed).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Integration tests start servers and real binaries; two cores, so keep the pool small.
    maxWorkers: 2,
    env: {MESHDOCTOR_DEEP_FREEZE: '1'},
  },
});
