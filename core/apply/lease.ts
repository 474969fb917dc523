/**
 * One apply per cluster and app at a time, across processes and machines: a
 * coordination.k8s.io/v1 Lease next to the app's ApplySet parent. A second apply is refused with
 * the holder's name; a lease its holder stopped renewing expires and can be taken over.
 */
import { hostname, userInfo } from 'node:os';
import { KubeError } from '../kube/errors.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { ObjectPort } from './cluster-port.js';

export interface LeaseOptions {
  readonly namespace: string;
  readonly name: string;
  /** Who is applying: shown to anyone refused. Default user@host/pid. */
  readonly holder?: string;
  /** Default 60 s; renewed every third of it while held. */
  readonly durationSeconds?: number;
  readonly now?: () => Date;
}

export interface HeldLease {
  readonly holder: string;
  release(): Promise<void>;
}

const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } as const;

let acquisitions = 0;

/** user@host/pid-N/apply-M: unique per acquisition, so two applies in one process (the desktop app, the engine server) exclude each other too. */
export function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user database entry (containers)
  }
  return `${user}@${hostname()}/pid-${process.pid}/apply-${++acquisitions}`;
}

/** RFC 3339 with microseconds, as the API server writes MicroTime. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function spec(holder: string, duration: number, now: Date, acquire?: string): Record<string, unknown> {
  return { holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: acquire ?? microTime(now), renewTime: microTime(now) };
}

/** `client`: the cluster port, or a KubeClient (it has the same calls). */
export async function acquireLease(client: ObjectPort, opts: LeaseOptions): Promise<HeldLease> {
  const holder = opts.holder ?? defaultHolder();
  const duration = opts.durationSeconds ?? 60;
  const now = opts.now ?? (() => new Date());
  const key = { ...LEASE, namespace: opts.namespace, name: opts.name };

  let current = await client.get(key);
  if (!current) {
    try {
      current = await client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: opts.name, namespace: opts.namespace }, spec: spec(holder, duration, now()) });
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 'conflict') throw e;
      current = await client.get(key); // someone created it first
    }
  } else {
    const s = (current.spec ?? {}) as { holderIdentity?: string; renewTime?: string; acquireTime?: string; leaseDurationSeconds?: number };
    const expires = s.renewTime ? Date.parse(s.renewTime) + (s.leaseDurationSeconds ?? duration) * 1000 : 0;
    if (s.holderIdentity && s.holderIdentity !== holder && expires > now().getTime()) refuse(s.holderIdentity, s.acquireTime, opts);
    // Free, expired, or ours: take it, guarded by resourceVersion so two takers cannot both win.
    try {
      current = await client.update({ ...current, spec: spec(holder, duration, now()) });
    } catch (e) {
      if (!(e instanceof KubeError) || e.code !== 'conflict') throw e;
      current = await client.get(key); // someone took it first: refused below, naming them
    }
  }
  const held = current?.spec as { holderIdentity?: string; acquireTime?: string } | undefined;
  if (held?.holderIdentity !== holder) refuse(held?.holderIdentity ?? 'someone else', held?.acquireTime, opts);

  let latest = current!;
  const timer = setInterval(() => {
    const body = { ...latest, spec: { ...(latest.spec as object), renewTime: microTime(now()) } };
    client.update(body).then(
      (o) => (latest = o),
      () => undefined, // a missed renewal is retried at the next tick; the lease outlives it
    );
  }, (duration * 1000) / 3);
  timer.unref();
  return {
    holder,
    async release() {
      clearInterval(timer);
      await client.delete(key, { preconditions: { ...(latest.metadata.uid && { uid: latest.metadata.uid }) } }).catch(() => undefined);
    },
  };
}

function refuse(holder: string, since: string | undefined, opts: LeaseOptions): never {
  throw new SlipwayError('apply-in-progress', `another apply of this app is running: lease ${opts.namespace}/${opts.name} is held by ${holder}${since ? ` since ${since}` : ''}`, {
    hint: 'wait for it to finish; a lease whose holder died expires after its duration',
  });
}

/**
 * The lease of one apply run, taken before anything is written; when the plan creates the
 * namespace it lives in, nobody can hold one there yet, so it is taken right after the step that
 * creates that namespace (a doomed attempt first would only fail).
 */
export class RunLease {
  private held: HeldLease | undefined;
  /** Not taken yet: its namespace is created by the plan. */
  private pending: boolean;

  constructor(
    private readonly cluster: ObjectPort,
    private readonly opts: LeaseOptions & { readonly createsNamespace: boolean },
  ) {
    this.pending = opts.createsNamespace;
  }

  /** Before the first step. Throws apply-in-progress when someone else holds it. */
  async begin(): Promise<void> {
    if (!this.pending) await this.take();
  }

  /** After each step, until taken. Throws apply-in-progress when someone else holds it. */
  async takeIfPending(): Promise<void> {
    if (this.pending) await this.take();
  }

  async release(): Promise<void> {
    await this.held?.release();
  }

  private async take(): Promise<void> {
    const { createsNamespace, ...lease } = this.opts;
    try {
      this.held = await acquireLease(this.cluster, lease);
      this.pending = false;
    } catch (e) {
      // Its namespace is not there yet: the plan creates it in a later step.
      if (createsNamespace && e instanceof KubeError && e.code === 'not-found') return;
      throw e;
    }
  }
}
