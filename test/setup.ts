// Shared test setup. Snapshots are deep-frozen in tests (vitest.config.ts sets MESHDOCTOR_DEEP_FREEZE),
// so a check that mutates the objects it reads fails loudly.
export {};
