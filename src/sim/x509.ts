/**
 * @peculiar/x509 (with the Reflect metadata polyfill its tsyringe container needs), for the modules
 * that generate certificates. In the built package this module is replaced by one bundled file
 * (src/build-bundles.ts): the package and its ASN.1 dependencies cost about a quarter of a second to
 * load as separate modules — a quarter of a second of `meshdoctor demo`'s start.
 */
import 'reflect-metadata';

export * from '@peculiar/x509';
