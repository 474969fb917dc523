/**
 * Plain data types of the Kubernetes port: objects as the API server returns them, API resources
 * from discovery, and the Target (a context resolved to cluster identity). No I/O here.
 */

import type { HttpMethod } from '@kubernetes/client-node';
import type { KubeRequestInfo } from './errors.js';

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON (strings as they are). */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  /** The answer as text, not parsed as JSON (Pod logs). */
  readonly text?: boolean;
  /** This request's timeout instead of the client's (a liveness probe that must answer quickly). */
  readonly timeoutMs?: number;
  /** Names the request in errors. */
  readonly info?: Omit<KubeRequestInfo, 'context' | 'server' | 'phase'>;
}

/** What discovery, the target cache and anything that only sends raw requests need of a client (a KubeClient, or a fake in tests). */
export interface DiscoveryClient {
  readonly context: string;
  readonly server: string;
  readonly user: string;
  request(method: HttpMethod, path: string, opts?: RequestOptions): Promise<unknown>;
  /** A GET answered `undefined` when the document still has ETag `etag` (304); KubeClient has it, fakes may not. */
  conditionalGet?(path: string, opts: RequestOptions & { readonly etag?: string }): Promise<{ readonly body: unknown; readonly etag?: string } | undefined>;
}

/** An object exactly as the API server returned it (raw JSON: no typed-model conversion, no dates). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** One API resource the server serves (subresources such as `pods/status` are never listed). */
export interface ApiResource {
  /** "" for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The URL segment: "deployments". */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  /** This version is the group's preferred version. */
  readonly preferred: boolean;
}

export interface Discovery {
  /** Every resource of every served group version, in the server's order (preferred version first within a group). */
  readonly resources: readonly ApiResource[];
  /** Group versions the server could not describe (e.g. an aggregated API whose backend is down): "metrics.k8s.io/v1beta1". */
  readonly unavailable: readonly string[];
  /** How it was read: one aggregated request, or /api + /apis group version by group version. */
  readonly source: 'aggregated' | 'legacy';
}

/** A kubeconfig context resolved to cluster identity. */
export interface Target {
  readonly context: string;
  readonly server: string;
  /** The kubeconfig user name of the context ("" when the context names none). */
  readonly user: string;
  /** uid of the kube-system Namespace: stable for the life of a cluster, different between clusters. */
  readonly clusterUid: string;
  readonly serverVersion: { readonly gitVersion: string; readonly major: string; readonly minor: string };
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
