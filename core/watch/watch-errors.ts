/**
 * How a shared watch (watcher.ts) reads the errors of its lists and streams: the status, a
 * timeout, the missing right of a 403, and the reason it shows while reconnecting.
 */
import { resourceName } from '../kube/client.js';
import { KubeError, toKubeError } from '../kube/errors.js';
import type { WatchClient, WatchTarget } from './watch-types.js';

export function statusOf(err: unknown): number | undefined {
  if (err instanceof KubeError) return err.status;
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function isTimeout(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'TimeoutError';
}

/** The missing right, when the server said 403 to the list or the watch. */
export function forbiddenReason(err: unknown, client: WatchClient, target: WatchTarget): string | undefined {
  if (err instanceof KubeError) return err.code === 'forbidden' ? err.message : undefined;
  if (statusOf(err) !== 403) return undefined;
  const where = target.resource.namespaced && target.namespace ? `in namespace ${target.namespace}` : target.resource.namespaced ? 'in any namespace' : 'at cluster scope';
  return `${client.user || 'the user'} may not watch ${resourceName(target.resource)} ${where} (context ${client.context})`;
}

/** Why a watch is reconnecting, naming the context and server. */
export function describe(err: unknown, client: WatchClient, target: WatchTarget): string {
  if (err instanceof KubeError) return err.message;
  const status = statusOf(err);
  const info = { context: client.context, server: client.server, verb: 'watch', resource: resourceName(target.resource) };
  if (status === 401) return `credentials for context ${client.context} were rejected (expired token?)`;
  if (status !== undefined) return `the API server of context ${client.context} answered ${status} to the watch of ${resourceName(target.resource)}`;
  if (err instanceof Error && err.message.startsWith('the watch of')) return err.message;
  return toKubeError(err, info).message;
}
