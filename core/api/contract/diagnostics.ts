/**
 * How problems cross the boundary: a diagnostic (a warning or error about the user's files or
 * cluster, with its location) and the failure of a command (an engine error).
 */
import { z } from 'zod';
import { resourceKeySchema } from './fields.js';

export const sourceLocationSchema = z.object({
  file: z.string(),
  documentIndex: z.number().int().nonnegative().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
});

export const diagnosticSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  code: z.string(),
  message: z.string(),
  location: sourceLocationSchema.optional(),
  resource: resourceKeySchema.optional(),
});

/**
 * How a failure crosses the boundary: the fields of a SlipwayError. `invalid-request` means the
 * request did not match its schema (the message names the field, never its value); `internal`
 * is a bug or an unexpected failure.
 */
export const engineErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  location: sourceLocationSchema.optional(),
  /** The location's lines (a render tool's error): `startLine` is the number of the first. */
  snippet: z.object({ startLine: z.number().int().positive(), lines: z.array(z.string()) }).optional(),
  /** All a failed tool printed, when the message is only its headline (kustomize, helm). */
  output: z.string().optional(),
});
export type EngineErrorInfo = z.infer<typeof engineErrorSchema>;

/** What a transport carries back for one command: the result, or the error. */
export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: EngineErrorInfo };
