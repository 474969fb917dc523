/**
 * kubectl against the local test cluster, for integration tests: a runner bound to the
 * kubeconfig and kubectl binary the global setup provides.
 */
import { spawnSync } from 'node:child_process';

export interface KubectlOptions {
  readonly input?: string;
  /** Default: slipway-admin. */
  readonly context?: string;
}

export interface KubectlResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Kubectl {
  /** Runs kubectl; returns stdout, throws with stderr when it exits non-zero. */
  (args: readonly string[], opts?: KubectlOptions): string;
  /** Runs kubectl; returns its exit status and output, never throws. */
  result(args: readonly string[], opts?: KubectlOptions): KubectlResult;
}

export function kubectlRunner(tool: { readonly kubectl: string; readonly kubeconfig: string }): Kubectl {
  const result = (args: readonly string[], opts: KubectlOptions = {}): KubectlResult => {
    const r = spawnSync(tool.kubectl, ['--kubeconfig', tool.kubeconfig, '--context', opts.context ?? 'slipway-admin', ...args], {
      encoding: 'utf8',
      input: opts.input,
      // kubectl's --applyset is still alpha in 1.35: it needs this switch.
      env: { ...process.env, KUBECTL_APPLYSET: 'true' },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const run = (args: readonly string[], opts: KubectlOptions = {}): string => {
    const r = result(args, opts);
    if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
    return r.stdout;
  };
  return Object.assign(run, { result });
}
