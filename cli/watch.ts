/**
 * slipway watch: follow an applied app on a context and print drift and health changes as they
 * happen (core/engine/app-watch.ts), as text or JSON lines. --exit-on-drift exits 2 at the first
 * drifted or deleted object (for cron and CI), naming the drifted fields; Ctrl-C exits 0. Errors
 * exit 1. Secret values never appear: drift is field paths, health is a status and a sentence.
 */
import { watchApp, type AppWatch, type DriftWatchState, type ObjectDrift, type ObjectHealthChange } from '../core/engine/app-watch.js';
import { openHistory } from '../core/history/history.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { formatKey } from '../core/model/resource.js';
import { DRIFT_EXIT_CODE, type WatchFlags } from './commands/watch.js';
import { contextOf, historyPath, openRepositoryArg, selectionOf, treesCacheDir } from './common.js';

/** Follows the app until Ctrl-C, or the first drift with --exit-on-drift (cli/commands/watch.ts defines the flags). */
export async function runWatch(flags: WatchFlags): Promise<void> {
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const context = contextOf(kubeconfig, flags.context);
  const repo = await openRepositoryArg(flags.repo);
  const history = openHistory({ path: historyPath(flags) });
  const out = printer(flags.json === true);
  let watch: AppWatch | undefined;
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    finish?.();
  };
  const onSignal = (): void => stop(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let summarized = false;
  try {
    watch = await watchApp({
      repo,
      rev: flags.rev,
      selection: selectionOf(flags),
      kubeconfig,
      context,
      cacheDir: treesCacheDir(),
      history,
      ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }),
      listener: {
        onDrift: (d) => {
          if (stopping) return;
          // Objects as applied are news only when they were not before.
          if (d.status !== 'in-sync' || summarized) out.drift(d);
          if (flags.exitOnDrift && (d.status === 'drifted' || d.status === 'deleted')) stop(DRIFT_EXIT_CODE);
          summarize();
        },
        onHealth: (h) => {
          if (!stopping) out.health(h);
        },
        onState: (s) => {
          if (!stopping) out.state(s);
        },
      },
    });
    out.start(watch);
    // Judgements that came before `watch` was set are summarized on the next one; check once now too.
    summarize();
    await finished;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await watch?.close();
    history.close();
    await repo.close();
  }
  /** Once every object has been compared: one line saying how many drifted. */
  function summarize(): void {
    if (!watch || summarized || stopping) return;
    const report = watch.report();
    if (report.pending > 0) return;
    summarized = true;
    out.summary(report.objects.length, report.drifted);
  }
}

interface Printer {
  start(w: AppWatch): void;
  summary(objects: number, drifted: number): void;
  drift(d: ObjectDrift): void;
  health(h: ObjectHealthChange): void;
  state(s: DriftWatchState): void;
}

const clock = (): string => new Date().toTimeString().slice(0, 8);

function watchName(s: DriftWatchState): string {
  return `${s.kind}${s.group ? `.${s.group}` : ''}${s.namespace ? ` in ${s.namespace}` : ''}`;
}

function printer(json: boolean): Printer {
  const line = (text: string): void => void process.stdout.write(`${text}\n`);
  if (json) {
    const emit = (o: object): void => line(JSON.stringify({ time: new Date().toISOString(), ...o }));
    return {
      start: (w) => emit({ type: 'watching', app: w.app.name, context: w.context, server: w.server, objects: w.objects.length }),
      summary: (objects, drifted) => emit({ type: 'checked', objects, drifted }),
      drift: (d) => emit({ type: 'drift', object: formatKey(d.key), key: d.key, status: d.status, paths: d.paths, ...(d.reason !== undefined && { reason: d.reason }), appliedBy: d.applied.runId }),
      health: (h) => emit({ type: 'health', object: formatKey(h.key), key: h.key, status: h.status, message: h.message }),
      state: (s) => emit({ type: 'watch', watch: watchName(s), phase: s.state.phase, ...('reason' in s.state && { reason: s.state.reason }), ...('retryAt' in s.state && s.state.retryAt !== undefined && { retryAt: s.state.retryAt }) }),
    };
  }
  const lost = new Set<string>();
  return {
    start: (w) => line(`Watching ${w.app.name} on ${w.context} (${w.server}): ${w.objects.length} object${w.objects.length === 1 ? '' : 's'} as last applied. Ctrl-C stops.`),
    summary: (objects, drifted) => line(`${clock()} checked    ${objects} object${objects === 1 ? '' : 's'}: ${drifted === 0 ? 'all as applied' : `${drifted} drifted`}`),
    drift: (d) => {
      const what = formatKey(d.key);
      if (d.status === 'drifted') line(`${clock()} drift      ${what}: ${d.paths.join(', ')} (changed since run ${d.applied.runId})`);
      else if (d.status === 'deleted') line(`${clock()} deleted    ${what}${d.reason ? ` (${d.reason})` : ''} (applied by run ${d.applied.runId})`);
      else if (d.status === 'in-sync') line(`${clock()} in sync    ${what}: as applied again`);
      else line(`${clock()} unknown    ${what}: ${d.reason ?? 'cannot compare'}`);
    },
    health: (h) => line(`${clock()} health     ${formatKey(h.key)}: ${h.status}${h.message ? ` — ${h.message}` : ''}`),
    state: (s) => {
      const st = s.state;
      if (st.phase === 'reconnecting') {
        lost.add(s.key);
        const next = st.retryAt ? `; next try in ${Math.max(0, Math.round((Date.parse(st.retryAt) - Date.now()) / 1000))} s` : '';
        line(`${clock()} reconnecting ${watchName(s)}: ${st.reason}${next}`);
      } else if (st.phase === 'forbidden') {
        lost.add(s.key);
        line(`${clock()} forbidden  ${watchName(s)}: ${st.reason}; its objects are not checked`);
      } else if (st.phase === 'synced' && lost.delete(s.key)) {
        line(`${clock()} resumed    ${watchName(s)}`);
      }
    },
  };
}
