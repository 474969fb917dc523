/**
 * kwok's configuration for the test cluster, from the values in test/support/kwok-outcomes.ts:
 *
 * - Stages (cached with the kwok binary, see build.ts): kwok's own "fast" stages (Nodes become
 *   Ready; Pods Running and Ready; a Job's Pod then Succeeded; deletions complete) and the plain
 *   Node heartbeat, except that kwok's pod-complete skips Pods labelled with a fail or hang
 *   outcome, plus one stage of ours that turns a Running Pod labelled `fail` into a Failed one.
 *   The selectors exclude each other, so no weight or order decides between them: exactly one
 *   stage matches a Pod at any moment.
 * - Logs (written into the cluster directory at start): a ClusterLogs for every Pod that maps
 *   container names to files in CRI log format, which kwok's kubelet server streams to the API
 *   server for `kubectl logs`.
 * - kwok's `Logs` resource (kwok.x-k8s.io/v1alpha1, its CRD installed at start, kwok started with
 *   `--enable-crds=Logs`): a test maps one Pod's containers to log files of its own, current and
 *   previous, that it appends to while the log is followed (test/support/pod-log-files.ts). A
 *   Pod's Logs wins over the ClusterLogs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  CONTAINER_LOGS,
  DEFAULT_CONTAINER_LOG,
  DEFAULT_FAIL_MESSAGE,
  FAIL_EXIT_CODE,
  FAIL_MESSAGE_ANNOTATION,
  FAIL_REASON,
  OUTCOME_FAIL,
  OUTCOME_HANG,
  OUTCOME_LABEL,
} from '../support/kwok-outcomes.js';
import { KWOK_VERSION } from './versions.js';

/** kwok's stage files (kustomize/stage/ in the kwok module) we use. */
const KWOK_STAGE_FILES = ['node/fast/node-initialize.yaml', 'node/heartbeat/node-heartbeat.yaml', 'pod/fast/pod-ready.yaml', 'pod/fast/pod-complete.yaml', 'pod/fast/pod-delete.yaml'] as const;

/** Added to kwok's pod-complete selector: a Pod with a fail or hang outcome never Succeeds. */
const NO_FAIL_OR_HANG_OUTCOME = { key: `.metadata.labels["${OUTCOME_LABEL}"]`, operator: 'NotIn', values: [OUTCOME_FAIL, OUTCOME_HANG] };

/** Multi-line templates as literal blocks, never folded. */
const YAML_OPTIONS = { blockQuote: 'literal', lineWidth: 0 } as const;

/** A Go template string literal (same escapes as JSON for the texts we use). */
const goString = (s: string): string => JSON.stringify(s);

/** A Running Pod labelled `fail`: every container terminated (exit 1, reason Error, a message), the Pod Failed. */
const POD_FAIL_STAGE = {
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'Stage',
  metadata: { name: 'slipway-pod-fail' },
  spec: {
    resourceRef: { apiGroup: 'v1', kind: 'Pod' },
    selector: {
      matchLabels: { [OUTCOME_LABEL]: OUTCOME_FAIL },
      matchExpressions: [
        { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
        { key: '.status.phase', operator: 'In', values: ['Running'] },
      ],
    },
    next: {
      statusTemplate: `{{ $now := Now }}
{{ $annotations := or .metadata.annotations dict }}
{{ $message := or ( index $annotations ${goString(FAIL_MESSAGE_ANNOTATION)} ) ${goString(DEFAULT_FAIL_MESSAGE)} }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  status: "False"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  reason: PodFailed
  status: "False"
  type: ContainersReady
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: false
  restartCount: 0
  started: false
  state:
    terminated:
      exitCode: ${FAIL_EXIT_CODE}
      finishedAt: {{ $now | Quote }}
      message: {{ $message | Quote }}
      reason: ${FAIL_REASON}
      startedAt: {{ $now | Quote }}
{{ end }}
phase: Failed
`,
    },
  },
};

/**
 * Everything that decides stages.yaml besides kwok's own files (fixed by KWOK_VERSION): part of its
 * cache key. The source of this module and of the outcomes it reads, so that no change to how the
 * stages are made can meet a stale stages.yaml.
 */
export function stagesRecipe(): string {
  const source = (url: URL): string => readFileSync(url, 'utf8');
  return [KWOK_VERSION, ...KWOK_STAGE_FILES, KWOK_LOGS_CRD_FILE, source(new URL(import.meta.url)), source(new URL('../support/kwok-outcomes.ts', import.meta.url))].join('\0');
}

/** kwok's CRD of `Logs` (kustomize/crd/bases/ in the kwok module). */
const KWOK_LOGS_CRD_FILE = 'kustomize/crd/bases/kwok.x-k8s.io_logs.yaml';
/** The kinds kwok reads from the API server (`--enable-crds`) instead of its --config files. */
export const KWOK_CRDS = ['Logs'] as const;

/** The Logs CRD as kwok ships it, from its module directory. */
export function kwokLogsCrdYaml(kwokModuleDir: string): string {
  return readFileSync(join(kwokModuleDir, KWOK_LOGS_CRD_FILE), 'utf8');
}

/** stages.yaml, from kwok's stage files in its module directory (`go mod download -json`'s Dir). */
export function kwokStagesYaml(kwokModuleDir: string): string {
  const docs = KWOK_STAGE_FILES.map((f) => {
    const text = readFileSync(join(kwokModuleDir, 'kustomize', 'stage', f), 'utf8');
    if (f !== 'pod/fast/pod-complete.yaml') return text.trim();
    const stage = parse(text) as { spec: { selector: { matchExpressions: unknown[] } } };
    stage.spec.selector.matchExpressions.push(NO_FAIL_OR_HANG_OUTCOME);
    return stringify(stage, YAML_OPTIONS).trim();
  });
  docs.push(stringify(POD_FAIL_STAGE, YAML_OPTIONS).trim());
  return docs.join('\n---\n') + '\n';
}

const DEFAULT_LOG_FILE = '_default.log'; // `_` is not allowed in a container name: no clash
const logFileOf = (container: string): string => `${container}.log`;

/** Text as a CRI container log (what kwok reads and the kubelet API serves): one `TIME stdout F LINE` per line. */
function criLog(text: string, at: Date): string {
  const time = at.toISOString();
  return text.replace(/\n$/, '').split('\n').map((line) => `${time} stdout F ${line}\n`).join('');
}

/**
 * Writes the container logs into `<dir>/pod-logs/` and a kwok config file with one ClusterLogs
 * for every Pod that maps them (CONTAINER_LOGS by container name, DEFAULT_CONTAINER_LOG for the
 * rest). Returns the config file's path, for kwok's `--config`.
 */
export function writeKwokLogsConfig(dir: string): string {
  const logsDir = join(dir, 'pod-logs');
  mkdirSync(logsDir, { recursive: true });
  const now = new Date();
  const logs: { containers?: string[]; logsFile: string }[] = [];
  for (const [container, text] of Object.entries(CONTAINER_LOGS)) {
    writeFileSync(join(logsDir, logFileOf(container)), criLog(text, now));
    logs.push({ containers: [container], logsFile: join(logsDir, logFileOf(container)) });
  }
  writeFileSync(join(logsDir, DEFAULT_LOG_FILE), criLog(DEFAULT_CONTAINER_LOG, now));
  logs.push({ logsFile: join(logsDir, DEFAULT_LOG_FILE) }); // no containers: the default
  const file = join(dir, 'kwok-logs.yaml');
  writeFileSync(file, stringify({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'ClusterLogs', metadata: { name: 'slipway-pod-logs' }, spec: { logs } }));
  return file;
}

/**
 * A key of everything kwok is configured with (stages, logs, its kubelet server): recorded in the
 * cluster's state, so `up` restarts a running cluster whose kwok was configured differently.
 */
export function kwokConfigKey(): string {
  // kubelet-server: kwok serves logs on the Node's address (cluster.ts); bump when kwok's flags change.
  return createHash('sha256').update(stagesRecipe()).update(`\0kubelet-server-1\0crds:${KWOK_CRDS.join(',')}`).digest('hex').slice(0, 12);
}
