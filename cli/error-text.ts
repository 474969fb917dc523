/**
 * How the CLI prints a SlipwayError: file:line and the message first (the headline of a render
 * tool's failure), the lines there, the hint, then all the tool printed, set off below.
 */
import { formatLocation, type SlipwayError } from '../core/model/diagnostics.js';

export function errorText(e: SlipwayError): string {
  // Some messages name their location already (so they read well on their own, e.g. as warnings).
  const where = e.location && !e.message.includes(`${formatLocation(e.location)}: `) ? `${formatLocation(e.location)}: ` : '';
  const out = [`slipway: error: ${where}${e.message}`];
  if (e.snippet) {
    const width = String(e.snippet.startLine + e.snippet.lines.length - 1).length;
    e.snippet.lines.forEach((line, i) => {
      const n = e.snippet!.startLine + i;
      out.push(`${n === e.location?.line ? '>' : ' '} ${String(n).padStart(width)} | ${line}`);
    });
  }
  if (e.hint) out.push(`  hint: ${e.hint}`);
  if (e.output) out.push('  the tool printed:', ...e.output.split('\n').map((l) => `    ${l}`));
  return out.join('\n');
}
