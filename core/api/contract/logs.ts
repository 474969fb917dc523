/** Pod logs: a container's log read (and followed) as a stream of events. */
import { z } from 'zod';
import { contextName, filePath, streamId } from './fields.js';

/**
 * Starts reading one container's log (core/api/logs.ts): its lines come as `log-lines` events
 * under `streamId`, in batches (at most one event per stream every 100 ms), then one `log-ended`.
 * The caller picks the stream id, so it can take the stream's events before this answers. Fails,
 * with no events, when there is no log to read: `pod-not-found`, `unknown-container`,
 * `container-not-started`, `no-previous-container` (or a Kubernetes error: forbidden, unreachable).
 * Searching the lines is the view's business.
 */
export const startLogsRequestSchema = z.strictObject({
  streamId,
  context: contextName,
  /** An explicit kubeconfig file; default: the settings', else $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: filePath.min(1).optional(),
  namespace: z.string().min(1).max(63),
  pod: z.string().min(1).max(253),
  /** Default: the Pod's default container (kubectl.kubernetes.io/default-container, else its first); the answer names it. */
  container: z.string().min(1).max(253).optional(),
  /** Keep reading as the container writes, until the container stops, the Pod is deleted, or stopLogs. */
  follow: z.boolean().optional(),
  /** The container's previous run (after a restart). */
  previous: z.boolean().optional(),
  /** Only the last lines (0: none of the past, only what comes next). A view following a busy log should ask for a tail. */
  tailLines: z.number().int().min(0).max(1_000_000).optional(),
  /** Only lines of the last seconds. */
  sinceSeconds: z.number().int().min(1).optional(),
  /** Stop after about this many bytes. */
  limitBytes: z.number().int().min(1).optional(),
  /** Each line starts with the time the kubelet recorded it (RFC 3339). */
  timestamps: z.boolean().optional(),
});
export const logsStartedSchema = z.object({
  streamId: z.string(),
  /** The container read. */
  container: z.string(),
  /** The Pod's containers and init containers, in order (for a picker). */
  containers: z.array(z.string()),
  initContainers: z.array(z.string()),
  /** No container was asked for and the Pod has several: `container` is its default. */
  defaulted: z.boolean(),
});
export type LogsStarted = z.infer<typeof logsStartedSchema>;
export const stopLogsRequestSchema = z.strictObject({ streamId });
export const stopLogsResultSchema = z.object({
  /** False when no stream of this id runs (it ended already, or never started). */
  stopped: z.boolean(),
});
export type { LogEndReason } from '../../model/logs.js';
