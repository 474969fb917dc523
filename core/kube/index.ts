/**
 * core/kube: kubeconfig contexts, Targets, discovery and a small typed Kubernetes client.
 */
export type { ApiResource, Discovery, FieldValidation, KubeObject, PropagationPolicy, Target } from './types.js';
export type { ContextInfo, KubeconfigSource, LoadedKubeconfig, LoadKubeconfigOptions } from './kubeconfig.js';
export { kubeConfigFor, listContexts, loadKubeconfig } from './kubeconfig.js';
export type { FieldConflict, Forbidden, KubeErrorCode, KubeRequestInfo, StatusCause } from './errors.js';
export { isRetryable, KubeError, toKubeError } from './errors.js';
export type { RetryOptions } from './retry.js';
export { withRetry } from './retry.js';
export { DEFAULT_CONCURRENCY, mapConcurrent } from './concurrency.js';
export type { ApplyOptions, CreateOptions, DeleteOptions, DeleteResult, KubeClientOptions, ListOptions } from './client.js';
export { KubeClient } from './client.js';
export { preferredFor, resourceFor } from './discovery.js';
export type { CacheOptions } from './target.js';
export { clearCaches, discover, invalidateCache, resolveTarget } from './target.js';
