/**
 * Vitest global setup for integration tests: provides a kubeconfig with the contexts
 * slipway-admin, slipway-readonly and slipway-second.
 *
 * - SLIPWAY_TEST_KUBECONFIG set: use that kubeconfig as it is (it must have those contexts).
 * - otherwise: start the local cluster (building it first if needed), or reuse one already
 *   running from `npm run cluster -- up`; at the end stop it only if this run started it.
 */
import type { TestProject } from 'vitest/node';
import { ensureClientTools } from './build.js';
import { down, up } from './cluster.js';

const log = (m: string): void => console.error(`[cluster] ${m}`);

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    tools: { kubectl: string; helm: string; kustomize: string; jsonnet: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.SLIPWAY_TEST_KUBECONFIG;
  if (external) {
    log(`using the existing cluster in SLIPWAY_TEST_KUBECONFIG=${external}`);
    project.provide('kubeconfig', external);
    project.provide('tools', await ensureClientTools(log));
    return undefined;
  }
  const { state, startedNow } = await up({ log });
  project.provide('kubeconfig', state.kubeconfig);
  // A cluster started before a tool was added has no path for it in its state: the cached build gives it.
  project.provide('tools', { ...(await ensureClientTools(log)), ...state.tools });
  if (!startedNow) return undefined;
  return async () => {
    await down({ log });
  };
}
