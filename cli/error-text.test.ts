import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../core/model/diagnostics.js';
import { errorText } from './error-text.js';

describe('errorText', () => {
  it.each<[string, SlipwayError, string]>([
    ['a plain error', new SlipwayError('unknown-revision', 'no revision nope'), 'slipway: error: no revision nope'],
    ['location first, then the hint', new SlipwayError('yaml-syntax', 'invalid YAML', { location: { file: 'a.yaml', line: 3 }, hint: 'indent it' }), 'slipway: error: a.yaml:3: invalid YAML\n  hint: indent it'],
    ['a location the message names already', new SlipwayError('kubeconfig-invalid', 'invalid kubeconfig k.yaml:2: bad', { location: { file: 'k.yaml', line: 2 } }), 'slipway: error: invalid kubeconfig k.yaml:2: bad'],
    [
      "a render tool's failure: headline at file:line, its lines, then what the tool printed",
      new SlipwayError('render-failed', 'helm template for app web (charts/web) failed (exit 1): foo is required', {
        location: { file: 'charts/web/templates/cm.yaml', line: 9, column: 3 },
        snippet: { startLine: 8, lines: ['data:', '  foo: {{ required "foo is required" .Values.foo }}', 'x: 1'] },
        output: 'Error: execution error at (web/templates/cm.yaml:9:3): foo is required\n\nUse --debug flag',
      }),
      [
        'slipway: error: charts/web/templates/cm.yaml:9:3: helm template for app web (charts/web) failed (exit 1): foo is required',
        '   8 | data:',
        '>  9 |   foo: {{ required "foo is required" .Values.foo }}',
        '  10 | x: 1',
        '  the tool printed:',
        '    Error: execution error at (web/templates/cm.yaml:9:3): foo is required',
        '    ',
        '    Use --debug flag',
      ].join('\n'),
    ],
  ])('%s', (_name, error, text) => {
    expect(errorText(error)).toBe(text);
  });
});
