/**
 * A failed render tool's error, explained (tool-errors.ts) with the files at hand: the headline as
 * the message, the location with its line found in the materialized copy (a kustomization's entry)
 * and a snippet of it, and everything the tool printed, for whoever wants it all.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { SlipwayError, type SourceLocation, type SourceSnippet } from '../model/diagnostics.js';
import { entryLine, explainToolError, snippetAround, type ExplainedToolError, type RenderTool } from './tool-errors.js';

/** The names kustomize looks for, in its order. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** `dir` (the materialized copy) taken out of the tool's words, so paths read as the repository's. */
function withoutDir(text: string, dir: string): string {
  return text.split(`${dir}/`).join('').split(dir).join('.');
}

function readInCopy(dir: string, file: string): string | undefined {
  // The file comes from the tool's words: never read outside the copy.
  if (isAbsolute(file) || posix.normalize(file).startsWith('..')) return undefined;
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** The location with its line: a kustomization entry's line in whichever kustomization file the folder has. */
function located(explained: ExplainedToolError, dir: string): { location?: SourceLocation; snippet?: SourceSnippet } {
  let location = explained.location;
  if (!location) return {};
  if (explained.entry !== undefined && location.line === undefined) {
    const folder = posix.dirname(location.file);
    for (const name of KUSTOMIZATION_FILES) {
      const file = posix.join(folder, name);
      const text = readInCopy(dir, file);
      if (text === undefined) continue;
      const line = entryLine(text, explained.entry);
      location = { file, ...(line !== undefined && { line }) };
      break;
    }
  }
  const text = location.line !== undefined ? readInCopy(dir, location.file) : undefined;
  const snippet = text !== undefined && location.line !== undefined ? snippetAround(text, location.line) : undefined;
  return { location, ...(snippet && { snippet }) };
}

/** For `.catch`: a render-failed error of `tool` as its headline, file:line and snippet, with the tool's whole output. */
export function explainedFailure(tool: RenderTool, dir: string, appPath: string): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof SlipwayError) || e.code !== 'render-failed' || e.output === undefined) throw e;
    const output = withoutDir(e.output, dir);
    const explained = explainToolError(tool, output, { appPath });
    const { location, snippet } = located(explained, dir);
    // runTool's first line is "<what> failed (exit N):"; the headline replaces the tail of stderr after it.
    const head = withoutDir(e.message.split('\n')[0]!, dir).replace(/:$/, '');
    throw new SlipwayError(e.code, `${head}: ${explained.headline}`, { ...(location && { location }), ...(snippet && { snippet }), output, ...(e.hint && { hint: e.hint }), cause: e.cause ?? e });
  };
}
