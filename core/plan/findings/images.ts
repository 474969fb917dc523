/**
 * Container image references: repository, tag and digest, as the container runtime reads them
 * ("nginx" is docker.io/library/nginx:latest), and the version a tag names (semver, coerced:
 * "v1.27", "16.1-alpine").
 */
import semver from 'semver';

export interface ImageRef {
  /** Everything before the tag and digest: "nginx", "ghcr.io/acme/web". */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const colon = named.lastIndexOf(':');
  // A colon after the last slash starts the tag; one before it is a registry's port.
  const tag = colon > named.lastIndexOf('/') ? named.slice(colon + 1) : undefined;
  const repository = tag !== undefined ? named.slice(0, colon) : named;
  return { repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** The image runs whatever the tag points to when pulled: `:latest`, or no tag and no digest. */
export function isFloating(ref: ImageRef): boolean {
  return ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest');
}

/** The tag's major version, when it reads as a version. */
export function majorOf(ref: ImageRef): number | undefined {
  if (ref.tag === undefined || ref.tag === 'latest') return undefined;
  const v = semver.coerce(ref.tag);
  return v ? v.major : undefined;
}
