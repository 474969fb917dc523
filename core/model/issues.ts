/** Schema problems in words people read. */
import type { z } from 'zod';

/**
 * A schema problem as the user may read it: the field path and what is wrong, never the value
 * that was sent (it may be a secret someone pasted into the wrong field).
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : 'request';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
