/**
 * Whether a 404's answer says the URL is unknown — the kind is not served (its CRD was deleted, its
 * API version removed) — rather than that a named object (or the namespace of one) does not exist.
 * The API server names the missing object in Status.details.name; for a resource it does not know
 * it sends a Status naming nothing, and for a group it does not know its mux's plain
 * "404 page not found". When unsure, this says "not served": the cost is reading discovery again.
 */
export function kindNotServed(body: string): boolean {
  let status: unknown;
  try {
    status = JSON.parse(body);
  } catch {
    return true;
  }
  if (typeof status !== 'object' || status === null || (status as { kind?: unknown }).kind !== 'Status') return true;
  const details = (status as { details?: { name?: unknown } }).details;
  return typeof details?.name !== 'string' || details.name === '';
}
