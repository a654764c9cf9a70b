/**
 * @kubernetes/client-node, for every module that uses it: they import it from here, lazily. In the
 * built package (`npm run build`) this module is replaced by one bundled file of client-node and its
 * dependencies (src/build-bundles.ts): the package's hundreds of modules cost about a second to
 * load, the bundle a fraction of that — the difference between the TUI's first data frame meeting
 * its budget or not, and `check` against a cluster starting faster. Tests use this file as it is.
 */
export * from '@kubernetes/client-node';
