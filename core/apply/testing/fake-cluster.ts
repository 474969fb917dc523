/**
 * An in-memory cluster behind the ClusterPort, for the executor's unit tests: objects by key with
 * uids and resourceVersions, server-side apply as a merge that bumps them, namespaces that must
 * exist, controllers that write status (scripted per object, read by read), deletions that linger
 * behind finalizers, and failures injected per call. Every call is written to `log`, which tests
 * share with the executor's events to assert what happened in which order.
 */
import type { ApplyOptions, CreateOptions, DeleteOptions, DeleteResult } from '../../kube/client.js';
import { KubeError, type KubeErrorCode } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import type { Manifest } from '../../model/desired.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../../model/resource.js';
import type { ClusterIdentity, ClusterPort, GroupVersionKind, LabelledScope, PodLogOptions } from '../cluster-port.js';
import type { GroupKind } from '../kind-order.js';

/** A controller's status for the object as it is now. */
export type StatusOf = (obj: KubeObject) => Record<string, unknown>;

export type Verb = 'get' | 'list' | 'apply' | 'create' | 'update' | 'delete';

interface Fault {
  readonly verb: Verb;
  readonly key: ResourceKey | undefined;
  readonly error: () => Error;
  times: number;
}

const generation = (obj: KubeObject): number => (typeof obj.metadata.generation === 'number' ? obj.metadata.generation : 1);

/** What the built-in controllers write when a test scripts nothing: the object becomes healthy at once. */
const CONTROLLERS: Readonly<Record<string, StatusOf>> = {
  '/Namespace': () => ({ phase: 'Active' }),
  'apiextensions.k8s.io/CustomResourceDefinition': () => ({ conditions: [{ type: 'Established', status: 'True' }] }),
  'apps/Deployment': (obj) => {
    const replicas = typeof (obj.spec as { replicas?: unknown } | undefined)?.replicas === 'number' ? ((obj.spec as { replicas: number }).replicas) : 1;
    return { observedGeneration: generation(obj), replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
  },
  // A Job completes, or fails when it carries FAIL_ANNOTATION (hooks' tests).
  'batch/Job': (obj) =>
    (obj.metadata.annotations as Record<string, string> | undefined)?.[FAIL_ANNOTATION] !== undefined
      ? { startTime: '2026-01-01T00:00:00Z', failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] }
      : { startTime: '2026-01-01T00:00:00Z', succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
};

/** A Job with this annotation fails in the fake cluster. */
export const FAIL_ANNOTATION = 'fake.test/fail';

export function kubeError(code: KubeErrorCode, message: string, fields: Partial<ConstructorParameters<typeof KubeError>[2]> = {}): KubeError {
  return new KubeError(code, message, { context: 'fake', server: 'https://fake.invalid:6443', ...fields });
}

export class FakeCluster implements ClusterPort {
  readonly context = 'fake';
  identityAnswer: ClusterIdentity = { server: 'https://fake.invalid:6443', clusterUid: 'kube-system-uid-1' };
  /** Calls ("apply ConfigMap shop/web") and whatever the test adds (events), in order. */
  readonly log: string[] = [];
  kindsChangedCalls = 0;
  /** Runs before every call is carried out (after it is logged): tests abort or change the cluster here. */
  beforeCall: ((verb: Verb, key: ResourceKey | undefined) => void) | undefined;
  private readonly objects = new Map<string, KubeObject>();
  private readonly scripts = new Map<string, { readonly statuses: readonly StatusOf[]; reads: number }>();
  /** Deletions held back by a finalizer: reads left until the object is gone (Infinity: never). */
  private readonly lingering = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private resourceVersion = 100;
  private uids = 0;

  /** Puts an object into the cluster as someone else created it (a uid, a resourceVersion, status by its controller). */
  seed(obj: KubeObject | Manifest): KubeObject {
    const stored = this.store({ ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), uid: `uid-${++this.uids}`, generation: 1 } } as KubeObject);
    return structuredClone(stored);
  }

  /** The object as stored now, without counting as a read. */
  peek(key: ResourceKey): KubeObject | undefined {
    const obj = this.objects.get(identityOf(key));
    return obj && structuredClone(obj);
  }

  /** Someone else changes the object (kubectl scale, a controller): its resourceVersion moves. */
  touch(key: ResourceKey, change: (obj: KubeObject) => void = () => undefined): void {
    const obj = this.objects.get(identityOf(key));
    if (!obj) throw new Error(`no ${formatKey(key)} to touch`);
    change(obj);
    this.store(obj);
  }

  remove(key: ResourceKey): void {
    this.objects.delete(identityOf(key));
  }

  /** The object's controller writes these statuses: the first on every write, then the next one at each read (the last one stays). */
  rollout(key: ResourceKey, statuses: readonly StatusOf[]): void {
    this.scripts.set(identityOf(key), { statuses, reads: 0 });
  }

  /** A deletion of this object leaves it terminating for `reads` reads (Infinity: a finalizer nobody removes). */
  lingerOnDelete(key: ResourceKey, reads: number): void {
    this.lingering.set(identityOf(key), reads);
  }

  /** The next `times` calls of `verb` (on `key`, or on anything) fail with `error`. */
  fail(verb: Verb, key: ResourceKey | undefined, error: () => Error, times = 1): void {
    this.faults.push({ verb, key, error, times });
  }

  /** The calls of one verb, as logged. */
  calls(verb: Verb): string[] {
    return this.log.filter((line) => line.startsWith(`${verb} `));
  }

  async identity(): Promise<ClusterIdentity> {
    return { ...this.identityAnswer };
  }

  async get(key: ResourceKey): Promise<KubeObject | null> {
    this.call('get', key);
    const id = identityOf(key);
    this.read(id);
    const obj = this.objects.get(id);
    return obj ? structuredClone(obj) : null;
  }

  async list(kind: GroupVersionKind, opts: { readonly namespace?: string } = {}): Promise<KubeObject[]> {
    this.call('list', undefined, `${kind.kind}${opts.namespace !== undefined ? ` ${opts.namespace}` : ''}`);
    const out: KubeObject[] = [];
    for (const [id, obj] of [...this.objects]) {
      if (!sameKind(obj, kind) || (opts.namespace !== undefined && obj.metadata.namespace !== opts.namespace)) continue;
      this.read(id);
      const now = this.objects.get(id);
      if (now) out.push(structuredClone(now));
    }
    return out;
  }

  async getMany(keys: readonly ResourceKey[]): Promise<ReadonlyMap<string, KubeObject>> {
    this.call('list', undefined, `${keys.length} objects`);
    const out = new Map<string, KubeObject>();
    for (const key of keys) {
      const obj = this.objects.get(identityOf(key));
      if (obj) out.set(identityOf(key), structuredClone(obj));
    }
    return out;
  }

  /** Equality selectors only ("app=web,tier=front"), as the Pods of a workload and ApplySet members are found. */
  async listLabelled(kind: GroupKind, opts: { readonly labelSelector: string; readonly namespaces: ReadonlySet<string>; readonly scope?: LabelledScope }): Promise<KubeObject[]> {
    this.call('list', undefined, `${kind.kind} ${opts.labelSelector}${opts.scope === 'namespaces' ? ` in ${[...opts.namespaces].join(',')}` : ''}`);
    const wanted = opts.labelSelector.split(',').map((term) => {
      const [label = '', value, extra] = term.split('=');
      if (value === undefined || extra !== undefined) throw new Error(`the fake cluster takes only equality selectors, not ${term}`);
      return [label.trim(), value.trim()] as const;
    });
    return [...this.objects.values()]
      .filter((o) => sameKind(o, kind) && (o.metadata.namespace === undefined || opts.namespaces.has(o.metadata.namespace)))
      .filter((o) => wanted.every(([label, value]) => (o.metadata.labels as Record<string, string> | undefined)?.[label] === value))
      .map((o) => structuredClone(o));
  }

  /** Server-side apply, simplified: the manifest's fields replace the live ones, labels and annotations merge. */
  async apply(obj: Manifest | KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    const key = keyOfObject(obj);
    this.call('apply', key, opts.dryRun ? `${formatKey(key)} (dry run)` : undefined);
    this.requireNamespace(key);
    const id = identityOf(key);
    const live = this.objects.get(id);
    const merged = {
      ...live,
      ...structuredClone(obj),
      metadata: {
        ...live?.metadata,
        ...structuredClone(obj.metadata),
        labels: { ...(live?.metadata.labels as object | undefined), ...(obj.metadata.labels as object | undefined) },
        annotations: { ...(live?.metadata.annotations as object | undefined), ...(obj.metadata.annotations as object | undefined) },
        uid: live?.metadata.uid ?? `uid-${++this.uids}`,
        generation: live ? generation(live) + 1 : 1,
      },
      ...(live?.status !== undefined && { status: live.status }),
    } as KubeObject;
    if (opts.dryRun) return merged;
    const script = this.scripts.get(id);
    if (script) script.reads = 0;
    return structuredClone(this.store(merged));
  }

  async create(obj: Manifest | KubeObject, _opts?: CreateOptions): Promise<KubeObject> {
    const key = keyOfObject(obj);
    this.call('create', key);
    this.requireNamespace(key);
    if (this.objects.has(identityOf(key))) throw kubeError('conflict', `${formatKey(key)} already exists`, { status: 409, reason: 'AlreadyExists' });
    return this.seed(obj);
  }

  async update(obj: KubeObject): Promise<KubeObject> {
    const key = keyOfObject(obj);
    this.call('update', key);
    const live = this.objects.get(identityOf(key));
    if (!live) throw kubeError('not-found', `${formatKey(key)} not found`, { status: 404 });
    if (obj.metadata.resourceVersion !== live.metadata.resourceVersion) throw kubeError('conflict', `the object has been modified; please apply your changes to the latest version and try again`, { status: 409, reason: 'Conflict' });
    return structuredClone(this.store(structuredClone(obj)));
  }

  async delete(key: ResourceKey, opts: DeleteOptions = {}): Promise<DeleteResult> {
    this.call('delete', key);
    const id = identityOf(key);
    const live = this.objects.get(id);
    if (!live) return { status: 'not-found' };
    const pre = opts.preconditions;
    if ((pre?.uid !== undefined && pre.uid !== live.metadata.uid) || (pre?.resourceVersion !== undefined && pre.resourceVersion !== live.metadata.resourceVersion)) {
      throw kubeError('conflict', `Precondition failed for ${formatKey(key)}`, { status: 409, reason: 'Conflict' });
    }
    if (!this.lingering.has(id)) {
      this.objects.delete(id);
      return { status: 'deleted' };
    }
    live.metadata.deletionTimestamp = new Date().toISOString();
    live.metadata.finalizers = ['example.com/cleanup'];
    return { status: 'deleting', object: structuredClone(this.store(live)) };
  }

  /** Pod logs by "namespace/pod"; the log of a container's previous run by "namespace/pod (previous)". */
  readonly logs = new Map<string, string>();

  async podLog(namespace: string, pod: string, opts: PodLogOptions = {}): Promise<string> {
    const id = `${namespace}/${pod}${opts.previous ? ' (previous)' : ''}`;
    this.call('get', undefined, `log ${id}`);
    const text = this.logs.get(id);
    if (text === undefined) throw kubeError('not-found', `pods "${pod}" not found`);
    return opts.tailLines === undefined ? text : text.split('\n').slice(-opts.tailLines).join('\n');
  }

  kindsChanged(): void {
    this.kindsChangedCalls++;
  }

  private call(verb: Verb, key: ResourceKey | undefined, what = key ? formatKey(key) : ''): void {
    this.log.push(`${verb} ${what}`);
    this.beforeCall?.(verb, key);
    const fault = this.faults.find((f) => f.verb === verb && f.times > 0 && (f.key === undefined || (key !== undefined && identityOf(f.key) === identityOf(key))));
    if (!fault) return;
    fault.times--;
    throw fault.error();
  }

  /** One read of the object: its controller moves on a step, a lingering deletion comes closer to its end. */
  private read(id: string): void {
    const obj = this.objects.get(id);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp !== undefined) {
      const left = (this.lingering.get(id) ?? 0) - 1;
      this.lingering.set(id, left);
      if (left <= 0) this.objects.delete(id);
      return;
    }
    const script = this.scripts.get(id);
    if (!script) return;
    script.reads++;
    obj.status = script.statuses[Math.min(script.reads, script.statuses.length - 1)]!(obj);
  }

  /** Stores the object with a new resourceVersion; its controller writes status on every write. */
  private store(obj: KubeObject): KubeObject {
    const id = identityOf(keyOfObject(obj));
    obj.metadata.resourceVersion = String(++this.resourceVersion);
    const script = this.scripts.get(id);
    const controller = script?.statuses[0] ?? CONTROLLERS[`${keyOfObject(obj).group}/${obj.kind}`];
    if (controller && obj.metadata.deletionTimestamp === undefined) obj.status = controller(obj);
    this.objects.set(id, obj);
    return obj;
  }

  private requireNamespace(key: ResourceKey): void {
    if (key.namespace !== undefined && !this.objects.has(identityOf({ group: '', version: 'v1', kind: 'Namespace', name: key.namespace }))) {
      throw kubeError('not-found', `namespaces "${key.namespace}" not found`, { status: 404, reason: 'NotFound' });
    }
  }
}

function sameKind(obj: KubeObject, kind: GroupKind): boolean {
  return obj.kind === kind.kind && keyOfObject(obj).group === kind.group;
}
