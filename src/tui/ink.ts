/**
 * Ink, for every module of the TUI: they import it from here, never from 'ink' directly. In the
 * built package (`npm run build`) this module is replaced by one bundled file of Ink and its
 * dependencies (src/build-bundles.ts): Ink is some 1,500 small modules whose loading costs
 * most of a second at start-up, the bundle a fraction of it. React stays outside the bundle, so
 * the app and Ink share one React. Tests run this file as it is (Ink from node_modules).
 */
export * from 'ink';
// The chalk Ink colours <Text> with (one instance, one colour level): src/tui/components/Line.tsx
// styles a line's segments with it, as <Text> would, and hands Ink one string.
export {default as chalk} from 'chalk';
