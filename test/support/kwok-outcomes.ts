/**
 * How Pods end on the test cluster's kwok node, and what their logs say. The cluster's kwok
 * configuration (test/cluster/kwok-config.ts) is generated from these values, so a test and the
 * cluster always agree; changing them changes the configuration's key and `npm run cluster -- up`
 * restarts a cluster that runs an older one.
 *
 * Without the label, a Job's Pod becomes Running, then Succeeded at once (kwok's own "fast"
 * stages); Pods of Deployments and other controllers stay Running and Ready.
 */

/** The Pod label that decides how a Pod ends: put it on a Job's `spec.template.metadata.labels`. */
export const OUTCOME_LABEL = 'slipway.test/outcome';

/** Outcome value: the Pod's containers terminate with exit code 1 (reason Error) and the Pod is Failed; with restartPolicy Never and backoffLimit 0 the Job fails at once. */
export const OUTCOME_FAIL = 'fail';

/** Outcome value: the Pod stays Running and Ready and never completes, so its Job never finishes (timeout tests). */
export const OUTCOME_HANG = 'hang';

/** The Pod annotation whose value, if set, replaces DEFAULT_FAIL_MESSAGE as a failing container's terminated message. */
export const FAIL_MESSAGE_ANNOTATION = 'slipway.test/fail-message';

/** The terminated message of a failing container when the Pod has no FAIL_MESSAGE_ANNOTATION. */
export const DEFAULT_FAIL_MESSAGE = 'the container exited with code 1 (slipway.test/outcome: fail)';

/** The terminated reason of a failing container (what the kubelet reports for a non-zero exit). */
export const FAIL_REASON = 'Error';

/** The exit code of a failing container. */
export const FAIL_EXIT_CODE = 1;

/**
 * The logs kwok serves (`kubectl logs`, CoreV1Api.readNamespacedPodLog) for a container of this
 * name, in any Pod. kwok maps logs by container (or Pod) name, not by label, so a test picks its
 * log by naming its container; add an entry here for a new text. One line per `\n`.
 */
export const CONTAINER_LOGS: Readonly<Record<string, string>> = {
  /** A schema migration hook that fails (use it with OUTCOME_FAIL). */
  migrate: 'migration failed: table users is locked\n',
};

/** The log of every container whose name is not in CONTAINER_LOGS. */
export const DEFAULT_CONTAINER_LOG = 'kwok: fake container, no real process ran\n';

/** `metadata.labels` (or a Pod template's) for an outcome: `{ labels: { app: 'x', ...outcomeLabels(OUTCOME_FAIL) } }`. */
export function outcomeLabels(outcome: typeof OUTCOME_FAIL | typeof OUTCOME_HANG): Record<string, string> {
  return { [OUTCOME_LABEL]: outcome };
}
