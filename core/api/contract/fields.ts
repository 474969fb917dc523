/**
 * The fields (and small shapes) several commands share, with their bounds and messages, so one
 * name is checked one way everywhere. The contract's own building blocks: contract.ts does not
 * re-export them (commands name their fields, not these).
 */
import { z } from 'zod';

export const repoId = z.string().min(1).max(100);
export const revision = z.string().trim().min(1, { error: 'a revision is required' }).max(1024);
export const filePath = z.string().max(4096);
export const planId = z.string().min(1).max(100);
export const runId = z.string().min(1).max(100);
export const contextName = z.string().min(1).max(253);
/** The context an app is planned or watched on: required, and said so. */
export const requiredContext = z.string().min(1, { error: 'a kubeconfig context is required' }).max(253);
export const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: 'a namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit' }).max(63);
/** Chosen by the caller, unique among the engine's running streams of its kind: e.g. crypto.randomUUID(). */
export const streamId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, { error: 'a stream id: 1 to 100 letters, digits, ".", "_", ":" or "-"' });
export const planSummarySchema = z.object({ create: z.number(), update: z.number(), delete: z.number(), replace: z.number(), noop: z.number(), error: z.number() });
export const resourceKeySchema = z.object({ group: z.string(), version: z.string(), kind: z.string(), namespace: z.string().optional(), name: z.string() });

/** An app on a context, as the live tree and drift name it: one of app or path (oneApp), at a revision (default HEAD). */
export const appOnContextFields = {
  repoId,
  /** The revision the app is found at (its slipway.yaml, its identity, its ignoreDifferences); default HEAD. */
  rev: revision.optional(),
  app: z.string().min(1).max(253).optional(),
  path: filePath.optional(),
  context: requiredContext,
  kubeconfig: filePath.min(1).optional(),
};

/** An app is asked for by name or by folder, never both (plan, liveTree, watchDrift). */
export const oneApp = (r: { app?: string | undefined; path?: string | undefined }): boolean => (r.app === undefined) !== (r.path === undefined);
export const oneAppError = { path: ['app'], error: 'give exactly one of app (an app name) or path (a folder of the repository)' };
