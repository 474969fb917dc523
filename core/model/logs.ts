/**
 * Pod logs' fixed sets (DESIGN.md rule 4): why a log stream ended. The reader is
 * core/kube/pod-logs.ts; the contract's `log-ended` event carries the reason.
 */

/**
 * Why a log stream ended:
 * - complete: the server ended it: the whole log was read (not following), the byte limit was
 *   reached, or the container stopped;
 * - pod-deleted: the Pod was deleted (or replaced by a new Pod of the same name) while following;
 * - stopped: the reader closed it (stopLogs, Ctrl-C, the caller's signal);
 * - failed: the connection failed (the end's error says why).
 */
export const LOG_END_REASONS = ['complete', 'pod-deleted', 'stopped', 'failed'] as const;
export type LogEndReason = (typeof LOG_END_REASONS)[number];
