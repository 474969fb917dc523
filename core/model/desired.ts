/**
 * DesiredObject: one rendered manifest and where it came from.
 */
import type { SourceLocation } from './diagnostics.js';
import type { ResourceKey } from './resource.js';

/** A Kubernetes object as plain JSON: apiVersion, kind and metadata are guaranteed by the renderer. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface DesiredObject {
  readonly key: ResourceKey;
  readonly manifest: Manifest;
  /** File (repository-relative), document index and line where the object is declared. */
  readonly source: SourceLocation;
  /** A hook with only metadata.generateName: key.name is the prefix; it gets its name when it runs. */
  readonly generateName?: true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
