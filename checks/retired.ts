/**
 * Check ids that were removed. An id is never reused: a catalog test fails if a live check takes
 * one of these. Add `{id, slug, release, reason}` when removing a check.
 */
export type RetiredCheck = Readonly<{id: string; slug: string; release: string; reason: string}>;

export const retiredChecks: readonly RetiredCheck[] = [];
