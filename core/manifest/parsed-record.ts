/**
 * A parsed file as the disk cache keeps it: by the blob's id alone (Git names a blob by its
 * content, so the same bytes at another path or in another repository parse the same), without
 * the file's path — every location is given it again when the record is read.
 *
 * JSON, because JSON.parse reads these records faster than v8.deserialize does. JSON cannot say
 * everything YAML can (.inf, .nan, -0, binary); a file whose values it cannot hold exactly is not
 * recorded, and is parsed by every process.
 *
 * PARSER_VERSION is part of every record's namespace: change it whenever parseManifests would give
 * another answer for the same bytes (parsed-record.test.ts fails until you do).
 */
import type { DesiredObject } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { ParsedFile } from './manifests.js';

export const PARSER_VERSION = 1;

type Located<T> = Omit<T, 'file'>;

interface RecordedObject {
  readonly key: DesiredObject['key'];
  readonly manifest: DesiredObject['manifest'];
  readonly source: Located<SourceLocation>;
  readonly generateName?: true;
}

interface RecordedDiagnostic extends Omit<Diagnostic, 'location'> {
  readonly location?: Located<SourceLocation>;
}

interface ParsedRecord {
  readonly objects: readonly RecordedObject[];
  readonly diagnostics: readonly RecordedDiagnostic[];
}

function withoutFile(location: SourceLocation): Located<SourceLocation> {
  const { file: _file, ...rest } = location;
  return rest;
}

/** Only values JSON gives back as they were: plain objects and arrays, strings, booleans, null, finite numbers other than -0. */
function exactInJson(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return false;
      continue;
    }
    if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
      continue;
    }
    if (typeof v !== 'object') return false;
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    for (const item of Object.values(v as Record<string, unknown>)) stack.push(item);
  }
  return true;
}

/** The record's text, or undefined when JSON cannot hold the file's values exactly. */
export function encodeParsed(parsed: ParsedFile): string | undefined {
  const record: ParsedRecord = {
    objects: parsed.objects.map((o) => ({ key: o.key, manifest: o.manifest, source: withoutFile(o.source), ...(o.generateName && { generateName: true as const }) })),
    diagnostics: parsed.diagnostics.map(({ location, ...d }) => ({ ...d, ...(location && { location: withoutFile(location) }) })),
  };
  return exactInJson(record) ? JSON.stringify(record) : undefined;
}

/** The parsed file at `file`, or undefined when the text is not a record this version wrote. */
export function decodeParsed(text: string, file: string): ParsedFile | undefined {
  let record: ParsedRecord;
  try {
    record = JSON.parse(text) as ParsedRecord;
  } catch {
    return undefined;
  }
  if (!Array.isArray(record?.objects) || !Array.isArray(record.diagnostics)) return undefined;
  return {
    objects: record.objects.map((o) => ({ ...o, source: { file, ...o.source } })),
    diagnostics: record.diagnostics.map(({ location, ...d }) => ({ ...d, ...(location && { location: { file, ...location } }) })),
  };
}
