/**
 * Diagnostics and errors that name the thing (DESIGN.md rule 10): the file and line for bad
 * input, the resource for a rejected object, the revision for a bad ref.
 */
import type { ResourceKey } from './resource.js';
import { formatKey } from './resource.js';

export type Severity = 'error' | 'warning' | 'info';

/** Where in the repository something came from. Paths are repository-relative, with "/" separators. */
export interface SourceLocation {
  readonly file: string;
  /** 0-based index of the YAML document within the file. */
  readonly documentIndex?: number;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine-readable code, e.g. "yaml-syntax", "duplicate-resource", "not-a-manifest". */
  readonly code: string;
  readonly message: string;
  readonly location?: SourceLocation;
  readonly resource?: ResourceKey;
}

/** Lines of a file around a location (an error's), to show without opening it. */
export interface SourceSnippet {
  /** 1-based number of `lines[0]`. */
  readonly startLine: number;
  readonly lines: readonly string[];
}

export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}${loc.line ? `:${loc.line}${loc.column ? `:${loc.column}` : ''}` : ''}`;
}

/** "apps/web/deploy.yaml:12:3: error: … (Deployment web/api)" */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const what = d.resource ? ` (${formatKey(d.resource)})` : '';
  return `${where}${d.severity}: ${d.message}${what}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export interface SlipwayErrorOptions {
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly snippet?: SourceSnippet;
  readonly output?: string;
  readonly cause?: unknown;
}

/** The options an error is made with again under another message (location, hint, snippet, output), `cause` left to the caller. */
export function carriedOptions(e: SlipwayError): Omit<SlipwayErrorOptions, 'cause'> {
  return { ...(e.location && { location: e.location }), ...(e.hint && { hint: e.hint }), ...(e.snippet && { snippet: e.snippet }), ...(e.output && { output: e.output }) };
}

/**
 * Thrown for failures that stop an operation (unknown revision, unreadable repository, missing
 * tool). Carries a stable code and, where known, a location, so every front door can show it well.
 */
export class SlipwayError extends Error {
  readonly code: string;
  readonly location?: SourceLocation;
  readonly hint?: string;
  /** The location's lines, when the file was at hand (a render tool's error). */
  readonly snippet?: SourceSnippet;
  /** Everything an external tool printed, when the message is only its headline. */
  readonly output?: string;

  constructor(code: string, message: string, opts: SlipwayErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SlipwayError';
    this.code = code;
    if (opts.location) this.location = opts.location;
    if (opts.hint) this.hint = opts.hint;
    if (opts.snippet) this.snippet = opts.snippet;
    if (opts.output) this.output = opts.output;
  }
}
