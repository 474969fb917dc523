/**
 * Text view of a render result (DESIGN.md rule 2: views are separate from computing): each object
 * as YAML under a comment naming it and its source, Secret values hidden, then the diagnostics.
 */
import { stringify } from 'yaml';
import { formatDiagnostic, formatLocation, type Diagnostic } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import { maskSecretValues } from '../model/secrets.js';
import type { RenderResult } from './render.js';

export function renderedObjectsText(result: Pick<RenderResult, 'objects'>): string {
  return result.objects.map((o) => `# ${formatKey(o.key)} from ${formatLocation(o.source)}\n${stringify(maskSecretValues(o.manifest), { lineWidth: 0 })}`).join('---\n');
}

export function diagnosticsText(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('');
}

export function renderJson(result: RenderResult, diagnostics: readonly Diagnostic[]): unknown {
  return {
    app: { name: result.app.name, path: result.app.path, sourceType: result.sourceType },
    revision: result.revision,
    treeOid: result.treeOid,
    renderedHash: result.renderedHash,
    objects: result.objects.map((o) => ({ key: o.key, source: o.source, manifest: maskSecretValues(o.manifest) })),
    diagnostics,
  };
}
