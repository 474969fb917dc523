/**
 * apply — apply new objects with health waits vs `kubectl apply --server-side` + `kubectl wait`,
 * side by side on the local cluster in the same run. Every object lives in bench namespaces (and
 * one bench CRD) that are deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHistory } from '../core/history/history.js';
import { benchCluster, deleteCorpus, slipwayApply, slipwayPlan } from './cluster-bench.js';
import { CORPUS_LABEL, generateCorpus, type Corpus } from './corpus.js';
import { speedup, summarizeSamples, type BenchSection } from './report.js';

const log = (m: string): void => console.error(`[bench] ${m}`);
const suffix = (): string => `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;

export async function applySection(opts: { objects?: number; runs?: number } = {}): Promise<BenchSection> {
  const objects = opts.objects ?? 500;
  const runs = opts.runs ?? 5;
  const c = await benchCluster();
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-apply-'));
  const history = openHistory({ path: join(tmp, 'history.db') });
  const cacheDir = join(tmp, 'trees');
  const made: Corpus[] = [];
  const fresh = (who: string, i: number): Corpus => {
    const corpus = generateCorpus({ objects, commits: 1, tag: `bench-apply-${suffix()}-${who}${i}` });
    made.push(corpus);
    return corpus;
  };
  try {
    const planMs: number[] = [];
    const slipway: number[] = [];
    const kubectl: number[] = [];
    for (let i = 0; i < runs; i++) {
      log(`apply: run ${i + 1}/${runs} — Slipway`);
      const a = fresh('s', i);
      let t = performance.now();
      const plan = await slipwayPlan(c, a, a.commits[0]!, { cacheDir });
      planMs.push(performance.now() - t);
      t = performance.now();
      await slipwayApply(c, a, plan, { cacheDir, history });
      slipway.push(performance.now() - t);
      await deleteCorpus(c, a);

      log(`apply: run ${i + 1}/${runs} — kubectl apply --server-side + kubectl wait`);
      const b = fresh('k', i);
      const dir = join(tmp, b.tag);
      b.writeManifests(0, dir);
      t = performance.now();
      await c.kubectl(['apply', '--server-side', '--force-conflicts', '-R', '-f', join(dir, b.appPath)]);
      await c.kubectl(['wait', '--for=condition=Available', 'deployments', '-A', '-l', `${CORPUS_LABEL}=${b.tag}`, '--timeout=180s']);
      kubectl.push(performance.now() - t);
      await deleteCorpus(c, b);
    }
    const s = summarizeSamples(slipway);
    const k = summarizeSamples(kubectl);
    return {
      title: 'Apply new objects against the local cluster',
      description:
        `${objects} new objects (the corpus app: namespaces, Deployments with one replica, Services, ConfigMaps, Secrets, RBAC, custom resources) into fresh namespaces. ` +
        'Slipway: `applyPlan` of a plan made beforehand (re-render and check the plan, then apply wave by wave and kind group by kind group — workloads as soon as what they name is in place — waiting for every object to be healthy, recording each result in history). ' +
        'kubectl: `kubectl apply --server-side --force-conflicts -R -f <dir>` then `kubectl wait --for=condition=Available deployments`.',
      rows: [
        {
          name: `apply ${objects} new objects with health waits`,
          ...s,
          comparison: { name: 'kubectl apply --server-side + kubectl wait', ...k },
          ratio: speedup(s.medianMs, k.medianMs),
          target: { text: '≥ 2× faster', met: k.medianMs / s.medianMs >= 2 },
          notes:
            `${runs} runs each; Slipway's plan beforehand (not counted) took ${summarizeSamples(planMs).medianMs.toFixed(0)} ms. ` +
            'Both sides are bound by the cluster, which shares the 2 cores with the tools. Slipway sends 16 objects at a time in kind order, but a workload goes as soon as what its Pod template names is in place ' +
            '(here right after its Namespace and the Services: the Deployments name no ConfigMap, Secret or bound ServiceAccount), so the rollouts overlap the ~480 config and RBAC writes instead of following them; ' +
            'its own CPU per write is kept low (undici request on one pool, credentials taken once, results that finish together recorded in one SQLite transaction) because every core-second it uses is taken from the API server. ' +
            'kubectl sends one object at a time, in file order, then waits. ' +
            (k.medianMs / s.medianMs >= 2
              ? ''
              : 'Not met in this run: the API server takes ~300–450 writes/s here and the rollouts compete with the writes for the same 2 cores; what would close it is a faster API server (more cores) or fewer writes.'),
        },
      ],
    };
  } finally {
    for (const corpus of made) {
      await deleteCorpus(c, corpus);
      corpus.cleanup();
    }
    history.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
