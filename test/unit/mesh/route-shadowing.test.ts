/** VirtualService match shadowing (IST0130/IST0131): when one match block takes every request of another. */
import {describe, expect, test} from 'vitest';
import {analyzeRoutes, analyzeVirtualService, matchCovers} from '../../../src/mesh/istio/route-shadowing.js';

describe('matchCovers', () => {
  test('an unset field matches anything; a set one does not cover an unset one', () => {
    expect(matchCovers({}, {uri: {prefix: '/a'}, method: {exact: 'GET'}})).toBe(true);
    expect(matchCovers({method: {exact: 'GET'}}, {uri: {prefix: '/a'}})).toBe(false);
  });

  test('a prefix covers longer prefixes and exact paths that start with it, not the other way round', () => {
    expect(matchCovers({uri: {prefix: '/api'}}, {uri: {prefix: '/api/v2'}})).toBe(true);
    expect(matchCovers({uri: {prefix: '/api'}}, {uri: {exact: '/api/v1'}})).toBe(true);
    expect(matchCovers({uri: {prefix: '/api/v2'}}, {uri: {prefix: '/api'}})).toBe(false);
    expect(matchCovers({uri: {exact: '/api'}}, {uri: {exact: '/api/v1'}})).toBe(false);
    expect(matchCovers({uri: {prefix: '/api'}}, {uri: {regex: '/api/.*'}})).toBe(false);
  });

  test('a case-insensitive path is not covered by a case-sensitive prefix', () => {
    expect(matchCovers({uri: {prefix: '/api'}}, {uri: {prefix: '/api/v2'}, ignoreUriCase: true})).toBe(false);
  });

  test('headers and source labels must be covered key by key; extra ones on the later block are fine', () => {
    expect(matchCovers({headers: {'end-user': {exact: 'jason'}}}, {headers: {'end-user': {exact: 'jason'}, 'x-b': {exact: '1'}}})).toBe(true);
    expect(matchCovers({headers: {'end-user': {prefix: 'ja'}}}, {headers: {'end-user': {exact: 'jason'}}})).toBe(true);
    expect(matchCovers({headers: {'end-user': {exact: 'jason'}}}, {headers: {'x-b': {exact: '1'}}})).toBe(false);
    expect(matchCovers({sourceLabels: {app: 'a'}}, {sourceLabels: {app: 'a', version: 'v1'}})).toBe(true);
    expect(matchCovers({sourceLabels: {app: 'a', version: 'v1'}}, {sourceLabels: {app: 'a'}})).toBe(false);
  });

  test('gateways and SNI hosts are alternatives: the later list must be a subset', () => {
    expect(matchCovers({gateways: ['a', 'b']}, {gateways: ['a']})).toBe(true);
    expect(matchCovers({gateways: ['a']}, {gateways: ['a', 'b']})).toBe(false);
    expect(matchCovers({sniHosts: ['x.example.com']}, {port: 443})).toBe(false);
  });

  test('name and statPrefix do not take part; other fields must be equal', () => {
    expect(matchCovers({name: 'first', uri: {prefix: '/a'}}, {name: 'second', uri: {prefix: '/a'}})).toBe(true);
    expect(matchCovers({port: 80}, {port: 8080})).toBe(false);
  });

  test('values of the wrong type compare by equality instead of throwing', () => {
    expect(matchCovers({headers: 'x'} as never, {headers: {a: {exact: '1'}}})).toBe(false);
    expect(matchCovers({gateways: 'mesh'} as never, {gateways: 'mesh'} as never)).toBe(true);
    expect(matchCovers({uri: null} as never, {uri: {prefix: '/'}})).toBe(true);
  });
});

describe('analyzeRoutes', () => {
  test('rules after a catch-all are dead; a fully taken rule is dead; a partly taken one has shadowed blocks', () => {
    const report = analyzeRoutes('http', [
      {match: [{uri: {prefix: '/api'}}]},
      {match: [{uri: {prefix: '/api/v2'}}, {uri: {prefix: '/web'}}]},
      {match: [{uri: {exact: '/api/v1'}}]},
      {route: []},
      {match: [{uri: {prefix: '/late'}}]},
    ]);
    expect(report.dead).toEqual([
      {kind: 'http', rule: 2, reason: 'matches-taken', by: 0},
      {kind: 'http', rule: 4, reason: 'after-catch-all', by: 3},
    ]);
    expect(report.shadowed).toEqual([{kind: 'http', at: {rule: 1, match: 0}, by: {rule: 0, match: 0}, duplicate: false}]);
  });

  test('the earliest covering block is named, and an exact repeat is marked as such', () => {
    const report = analyzeRoutes('tcp', [{match: [{port: 1}]}, {match: [{port: 1}, {port: 2}]}, {match: [{port: 2}, {port: 3}]}]);
    expect(report.shadowed).toEqual([
      {kind: 'tcp', at: {rule: 1, match: 0}, by: {rule: 0, match: 0}, duplicate: true},
      {kind: 'tcp', at: {rule: 2, match: 0}, by: {rule: 1, match: 1}, duplicate: true},
    ]);
  });

  test('garbage is no rule at all', () => {
    expect(analyzeRoutes('http', 'nope')).toEqual({dead: [], shadowed: []});
    expect(analyzeVirtualService(null)).toEqual({dead: [], shadowed: []});
    expect(analyzeRoutes('http', [null, 3, {match: 'x'}, {match: [{uri: {prefix: '/a'}}]}]).dead).toEqual([{kind: 'http', rule: 3, reason: 'after-catch-all', by: 2}]);
  });

  test('among a thousand path rules, the one covered by an earlier prefix is found', () => {
    const rules = Array.from({length: 1000}, (_, i) => ({match: [{uri: {prefix: `/svc-${i}/`}}]}));
    rules.push({match: [{uri: {prefix: '/svc-500/deep'}}]});
    const report = analyzeRoutes('http', rules);
    expect(report.dead).toEqual([{kind: 'http', rule: 1000, reason: 'matches-taken', by: 500}]);
  });
});
