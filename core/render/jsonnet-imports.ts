/**
 * The paths a Jsonnet file imports (`import`, `importstr`, `importbin`), read with a small lexer
 * that skips comments and strings, so the files an app reads can be copied out with it and an
 * import leaving the repository refused before jsonnet runs. Jsonnet only imports string literals
 * (never computed paths), so the list is complete.
 */

const IMPORT_KEYWORDS = new Set(['import', 'importstr', 'importbin']);

/** Jsonnet's escapes in "…" and '…' strings. */
function unescape(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

/** At `i` (after whitespace and comments): a string literal's value and where it ends, or undefined. */
function stringAt(text: string, i: number): { value: string; end: number } | undefined {
  const verbatim = text[i] === '@';
  const quote = text[verbatim ? i + 1 : i];
  if (quote === '"' || quote === "'") {
    let j = verbatim ? i + 2 : i + 1;
    let body = '';
    while (j < text.length) {
      const c = text[j]!;
      if (verbatim && c === quote && text[j + 1] === quote) {
        body += c;
        j += 2;
        continue;
      }
      if (!verbatim && c === '\\') {
        body += text.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === quote) return { value: verbatim ? body : unescape(body), end: j + 1 };
      body += c;
      j++;
    }
    return undefined;
  }
  if (text.startsWith('|||', i)) {
    const close = text.indexOf('|||', i + 3);
    return close < 0 ? undefined : { value: text.slice(i + 3, close), end: close + 3 };
  }
  return undefined;
}

/** The index after whitespace and comments from `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('//', i) || text[i] === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else return i;
  }
}

export interface JsonnetImport {
  readonly keyword: 'import' | 'importstr' | 'importbin';
  readonly path: string;
}

export function jsonnetImports(text: string): JsonnetImport[] {
  const out: JsonnetImport[] = [];
  let i = 0;
  while (i < text.length) {
    const at = skipBlank(text, i);
    if (at >= text.length) break;
    const str = stringAt(text, at);
    if (str) {
      i = str.end;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at, at + 64));
    if (!word) {
      i = at + 1;
      continue;
    }
    i = at + word[0].length;
    if (!IMPORT_KEYWORDS.has(word[0])) continue;
    const path = stringAt(text, skipBlank(text, i));
    if (path) {
      out.push({ keyword: word[0] as JsonnetImport['keyword'], path: path.value });
      i = path.end;
    }
  }
  return out;
}
