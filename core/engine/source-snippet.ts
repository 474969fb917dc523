/**
 * The lines of a repository file around one line, at a plan's commit: what a reviewer reads next
 * to an error's file:line. Secrets never leave the engine (DESIGN.md rule 7): a file that holds
 * Secret values (a Secret manifest, a kustomize secretGenerator, an env file) is not shown at all,
 * and values under keys that name a credential are masked in any other file.
 */
import { posix } from 'node:path';
import type { Repository } from '../git/types.js';
import { normalizeRepoPath } from '../git/repo-path.js';
import { SlipwayError } from '../model/diagnostics.js';
import { MASK } from '../model/secrets.js';

/** Lines shown above and below the line asked for. */
export const SNIPPET_CONTEXT = 3;
/** Larger files are not read for a snippet (a manifest this size is not reviewed by eye anyway). */
const MAX_BYTES = 1024 * 1024;
/** A line longer than this is cut (minified JSON, embedded certificates). */
const MAX_LINE = 240;

export type SourceSnippet =
  | { readonly file: string; readonly line: number; readonly startLine: number; readonly lines: readonly string[] }
  | { readonly file: string; readonly line: number; readonly hidden: string };

/** Why a file is never shown, first match wins: each rule reads the path or the whole text, since a file that does not parse cannot be parsed to mask it. */
const HIDDEN_FILES: ReadonlyArray<{ readonly why: string; readonly path?: RegExp; readonly text?: RegExp }> = [
  { why: 'the file declares a Secret: its values are never shown', text: /^\s*(-\s+)?["']?kind["']?\s*:\s*["']?Secret["']?\s*(#.*)?$/m },
  { why: 'the file generates Secrets (secretGenerator): its values are never shown', text: /^\s*["']?secretGenerator["']?\s*:/m },
  { why: 'an env file may hold Secret values: it is never shown', path: /(^|\/)[^/]*\.env$|(^|\/)\.env(\.[^/]*)?$/ },
  { why: 'the file is encrypted (SOPS)', text: /^\s*["']?sops["']?\s*:\s*$/m },
];

/** A key naming a credential, with its value: the value is masked (YAML `key: value`, JSON `"key": value`, env `KEY=value`). */
const CREDENTIAL_LINE = /^(\s*(?:-\s+)?["']?[\w.-]*(?:password|passwd|secret|token|api[-_]?key|private[-_]?key|credential)[\w.-]*["']?\s*[:=]\s*)(\S.*)$/i;

/** Why the file must not be shown, or undefined. Pure: table-tested. */
export function hiddenBecause(path: string, text: string): string | undefined {
  return HIDDEN_FILES.find((r) => (r.path?.test(path) ?? false) || (r.text?.test(text) ?? false))?.why;
}

const indentOf = (line: string): number => /^\s*/.exec(line)![0].length;

/**
 * The lines as they may be shown: a credential's value masked, also when it is a block scalar
 * (`password: |` and the more indented lines below it), and very long lines cut.
 */
export function maskLines(lines: readonly string[]): string[] {
  let blockIndent: number | undefined;
  return lines.map((line) => {
    if (blockIndent !== undefined) {
      if (line.trim() === '' || indentOf(line) > blockIndent) return line.trim() === '' ? line : `${' '.repeat(indentOf(line))}${MASK}`;
      blockIndent = undefined;
    }
    const m = CREDENTIAL_LINE.exec(line);
    let shown = line;
    if (m) {
      const block = /^[|>][-+0-9]*\s*(#.*)?$/.test(m[2]!);
      if (block) blockIndent = indentOf(line);
      shown = block ? line : `${m[1]}${MASK}`;
    }
    return shown.length > MAX_LINE ? `${shown.slice(0, MAX_LINE)}…` : shown;
  });
}

/** The lines around `line` (1-based) of `text`. Pure: table-tested. */
export function snippetOf(file: string, text: string, line: number, context = SNIPPET_CONTEXT): SourceSnippet {
  const hidden = hiddenBecause(file, text);
  if (hidden) return { file, line, hidden };
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const at = Math.min(Math.max(line, 1), Math.max(all.length, 1));
  const start = Math.max(1, at - context);
  const end = Math.min(all.length, at + context);
  return { file, line, startLine: start, lines: maskLines(all).slice(start - 1, end) };
}

/** The snippet of `file` at `rev` (a commit, or the working copy) of `repo`. */
export async function sourceSnippet(repo: Repository, req: { readonly rev: string; readonly file: string; readonly line: number }): Promise<SourceSnippet> {
  const file = normalizeRepoPath(req.file);
  const revision = await repo.resolve(req.rev);
  const snapshot = await repo.snapshot(revision, posix.dirname(file) === '.' ? '' : posix.dirname(file));
  const entry = snapshot.files.find((f) => f.path === file);
  if (!entry) throw new SlipwayError('path-not-found', `there is no file ${file} at ${req.rev.slice(0, 12)}`, { location: { file } });
  const bytes = await repo.readFile(snapshot, entry);
  if (bytes.byteLength > MAX_BYTES) return { file, line: req.line, hidden: `the file is larger than ${MAX_BYTES / 1024 / 1024} MB` };
  return snippetOf(file, new TextDecoder().decode(bytes), req.line);
}
