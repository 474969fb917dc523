/** The kubeconfig's contexts, as the UI may show them. */
import { z } from 'zod';
import { diagnosticSchema } from './diagnostics.js';
import { filePath } from './fields.js';

export const listContextsRequestSchema = z.strictObject({
  /** An explicit kubeconfig file; default: $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: filePath.min(1).optional(),
});
/** A kubeconfig context as the UI may show it: names and addresses, never credentials. */
const contextInfoSchema = z.object({
  /** Listed in the protected contexts of the settings: applying needs the context name typed. */
  protected: z.boolean().optional(),
  name: z.string(),
  cluster: z.string(),
  /** The cluster's server URL ("" when unknown). */
  server: z.string(),
  /** The kubeconfig user entry's name (not a credential). */
  user: z.string(),
  namespace: z.string(),
  current: z.boolean(),
});
export type ContextInfo = z.infer<typeof contextInfoSchema>;
export const contextListSchema = z.object({
  contexts: z.array(contextInfoSchema),
  currentContext: z.string().optional(),
  /** The kubeconfig files read, in precedence order. */
  files: z.array(z.string()),
  diagnostics: z.array(diagnosticSchema),
});
export type ContextList = z.infer<typeof contextListSchema>;
