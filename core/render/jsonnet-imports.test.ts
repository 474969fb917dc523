import { describe, expect, it } from 'vitest';
import { jsonnetImports, type JsonnetImport } from './jsonnet-imports.js';

describe('jsonnetImports', () => {
  it.each<[string, string, JsonnetImport[]]>([
    ["Argo CD's guestbook", "local params = import 'params.libsonnet';\n[ { kind: 'Service' } ]", [{ keyword: 'import', path: 'params.libsonnet' }]],
    ['importstr and importbin, double quotes', 'local a = importstr "a.txt", b = importbin "b.bin"; {}', [{ keyword: 'importstr', path: 'a.txt' }, { keyword: 'importbin', path: 'b.bin' }]],
    ['verbatim string', "import @'lib\\x.libsonnet'", [{ keyword: 'import', path: 'lib\\x.libsonnet' }]],
    ['escapes', 'import "a\\u0062.libsonnet"', [{ keyword: 'import', path: 'ab.libsonnet' }]],
    ['comments are not code', "// import 'no1'\n# import 'no2'\n/* import 'no3' */ import 'yes'", [{ keyword: 'import', path: 'yes' }]],
    ['strings are not code', "{ a: \"import 'no'\", b: |||\n  import 'no'\n||| }", []],
    ['a field named importer is not an import', "{ importer: 'x.libsonnet' }", []],
    ['nested path', "(import '../../lib/k.libsonnet').x", [{ keyword: 'import', path: '../../lib/k.libsonnet' }]],
  ])('%s', (_what, text, expected) => {
    expect(jsonnetImports(text)).toEqual(expected);
  });
});
