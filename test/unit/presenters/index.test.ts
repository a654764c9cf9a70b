import {describe, expect, test} from 'vitest';
import {OUTPUT_FORMATS, isOutputFormat, presenters} from '../../../src/presenters/index.js';
import {sampleReport} from '../../helpers/report-builder.js';

describe('presenter registry', () => {
  test('offers the five check -o formats', () => {
    expect(OUTPUT_FORMATS).toEqual(['text', 'json', 'junit', 'sarif', 'github']);
    expect(isOutputFormat('sarif')).toBe(true);
    expect(isOutputFormat('yaml')).toBe(false);
    expect(isOutputFormat('toString')).toBe(false);
  });

  test('every presenter accepts the shared options object and returns text ending in a newline', () => {
    const options = {color: false, verbose: true, hostname: 'ci', runbookRoot: '/opt/meshdoctor', maxAnnotationsPerLevel: 10};
    for (const format of OUTPUT_FORMATS) {
      const out = presenters[format](sampleReport(), options);
      expect(out.length, format).toBeGreaterThan(0);
      expect(out.endsWith('\n'), format).toBe(true);
    }
  });

  test('presenters are pure: the same report gives the same output', () => {
    for (const format of OUTPUT_FORMATS) expect(presenters[format](sampleReport())).toBe(presenters[format](sampleReport()));
  });
});
