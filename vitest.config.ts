import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start servers and real binaries; two cores, so keep the pool small.
    maxWorkers: 2,
    env: {MESHDOCTOR_DEEP_FREEZE: '1'},
  },
});
