/**
 * Kubeconfig loading and context selection, following kubectl's rules rather than client-node's:
 *
 * - an explicit path (from settings) wins and must exist; else every file in `KUBECONFIG` (OS path
 *   delimiter) is merged, missing ones skipped; else `~/.kube/config` (a missing one is an empty config);
 * - when merging, the first file to define a context, cluster or user name wins, and the first file
 *   that sets `current-context` wins;
 * - relative file references (certificate-authority, client-certificate, client-key, token-file and
 *   an exec command containing a path separator) are resolved against the file that holds them;
 * - unlike kubectl, a file of `KUBECONFIG` that cannot be read or parsed is left out with a warning
 *   diagnostic naming its file and line (code `kubeconfig-file-skipped`) while another file is
 *   usable, so one broken file does not take every context away; alone, it is the error.
 *
 * client-node's own `loadFromDefault` differs on three points (verified in 2.0.1): a missing file in
 * `KUBECONFIG` throws ENOENT, a name defined in two files throws "Duplicate cluster", and the *last*
 * file's current-context wins. So the merge is done here and client-node only receives the result.
 *
 * YAML is read with the failsafe schema (every scalar a string) and the few boolean fields are then
 * read as YAML 1.1 booleans (`yes`, `on`), as kubectl reads them. Where kubectl refuses a file
 * because a string field holds something that looks like a number (`namespace: 007`, a context
 * named `1.20`), Slipway reads the string as written.
 *
 * Nothing here writes a file. Selecting a context returns a new client-node `KubeConfig`; exec
 * credential plugins and auth providers (OIDC) are passed through untouched.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { formatLocation, SlipwayError } from '../model/diagnostics.js';

export type KubeconfigSource = 'explicit' | 'env' | 'default';

export interface LoadedKubeconfig {
  /** Where the file list came from: settings, `KUBECONFIG`, or `~/.kube/config`. */
  readonly source: KubeconfigSource;
  /** The files read, in precedence order (the first to define a name wins). */
  readonly files: readonly string[];
  /** Files named in `KUBECONFIG` (or the default path) that do not exist: skipped, as kubectl does. */
  readonly missing: readonly string[];
  readonly currentContext: string | undefined;
  /** Usable entries, in the order they were first defined. */
  readonly clusters: readonly Cluster[];
  readonly users: readonly User[];
  readonly contexts: readonly Context[];
  /** Entries that are defined but cannot be used, keyed "cluster/NAME", "user/NAME" or "context/NAME", with the reason. */
  readonly unusable: ReadonlyMap<string, string>;
  /** Where each entry is defined, keyed like `unusable`. */
  readonly locations: ReadonlyMap<string, SourceLocation>;
  /** Warnings: skipped entries and files. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ContextInfo {
  readonly name: string;
  readonly cluster: string;
  /** The cluster's server URL; "" when the cluster is not defined or has none. */
  readonly server: string;
  readonly user: string;
  readonly namespace: string;
  readonly current: boolean;
}

export interface LoadKubeconfigOptions {
  /** An explicit kubeconfig file (from settings); wins over KUBECONFIG and the default, and must exist. */
  readonly path?: string;
  /** Environment to read KUBECONFIG and HOME from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

type EntryKind = 'cluster' | 'user' | 'context';
type Raw = Record<string, unknown>;

interface Entry {
  readonly kind: EntryKind;
  readonly name: string;
  /** The `cluster:` / `user:` / `context:` mapping, failsafe-parsed (strings only). */
  readonly body: Raw;
  readonly location: SourceLocation;
}

interface ParsedFile {
  readonly file: string;
  readonly entries: readonly Entry[];
  readonly currentContext: string | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const YAML_11_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);

export function loadKubeconfig(opts: LoadKubeconfigOptions = {}): LoadedKubeconfig {
  const env = opts.env ?? process.env;
  let source: KubeconfigSource;
  let candidates: string[];
  if (opts.path) {
    source = 'explicit';
    candidates = [resolve(opts.path)];
  } else if (env.KUBECONFIG) {
    source = 'env';
    candidates = [...new Set(env.KUBECONFIG.split(delimiter).filter((p) => p.length > 0).map((p) => resolve(p)))];
  } else {
    source = 'default';
    candidates = [join(homeDir(env), '.kube', 'config')];
  }

  const parsed: ParsedFile[] = [];
  const missing: string[] = [];
  const skipped: { error: SlipwayError; diagnostic: Diagnostic }[] = [];
  for (const file of candidates) {
    try {
      const text = readKubeconfigText(file, { mustExist: source === 'explicit' });
      if (text === undefined) {
        missing.push(file);
        continue;
      }
      parsed.push(parseKubeconfigText(text, file));
    } catch (err) {
      // One unreadable or malformed file of several does not take the others' contexts away (kubectl would refuse them all).
      if (source === 'explicit' || candidates.length === 1 || !(err instanceof SlipwayError)) throw err;
      skipped.push({
        error: err,
        diagnostic: { severity: 'warning', code: SKIPPED_FILE, message: `${err.message} (skipped; the other kubeconfig files are used)`, ...(err.location && { location: err.location }) },
      });
    }
  }
  // Nothing usable at all: the first problem is the answer.
  if (parsed.length === 0 && skipped.length > 0) throw skipped[0]!.error;
  const merged = merge(source, parsed, missing);
  return skipped.length > 0 ? { ...merged, diagnostics: [...skipped.map((s) => s.diagnostic), ...merged.diagnostics] } : merged;
}

/** The diagnostic code of a kubeconfig file that could not be read or parsed and was left out of the merge. */
export const SKIPPED_FILE = 'kubeconfig-file-skipped';

function homeDir(env: NodeJS.ProcessEnv): string {
  return (process.platform === 'win32' ? (env.USERPROFILE ?? env.HOME) : env.HOME) ?? homedir();
}

function readKubeconfigText(file: string, opts: { mustExist: boolean }): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !opts.mustExist) return undefined;
    if (code === 'ENOENT') throw new SlipwayError('kubeconfig-not-found', `kubeconfig ${file} does not exist`, { location: { file }, cause: err });
    throw new SlipwayError('kubeconfig-unreadable', `cannot read kubeconfig ${file}: ${(err as Error).message}`, { location: { file }, cause: err });
  }
}

/** Parses one kubeconfig file's text. Exported for tests; `file` is used in locations and to resolve relative paths. */
export function parseKubeconfigText(text: string, file: string): ParsedFile {
  const lc = new LineCounter();
  const doc = parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { schema: 'failsafe', lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col };
  };
  const invalid = (message: string, loc: SourceLocation): SlipwayError =>
    new SlipwayError('kubeconfig-invalid', `invalid kubeconfig ${formatLocation(loc)}: ${message}`, { location: loc });

  const first = doc.errors[0];
  if (first) throw invalid(first.message.split('\n')[0] ?? first.message, at(first.pos[0]));
  const root = doc.contents;
  if (root === null || (!isMap(root) && root.toJSON() === '')) return { file, entries: [], currentContext: undefined, diagnostics: [] };
  if (!isMap(root)) throw invalid('expected a mapping with clusters, users and contexts', at(root.range?.[0]));

  const entries: Entry[] = [];
  const diagnostics: Diagnostic[] = [];
  const lists: [string, EntryKind][] = [
    ['clusters', 'cluster'],
    ['users', 'user'],
    ['contexts', 'context'],
  ];
  for (const [listKey, kind] of lists) {
    const list = root.get(listKey, true);
    if (list === undefined || list === null || (!isSeq(list) && isEmptyScalar(toJS(list)))) continue;
    if (!isSeq(list)) throw invalid(`${listKey} must be a list`, at((list as { range?: [number] }).range?.[0]));
    const seen = new Set<string>();
    list.items.forEach((item, index) => {
      const loc = at((item as { range?: [number] }).range?.[0]);
      if (!isMap(item)) throw invalid(`${listKey}[${index}] must be a mapping`, loc);
      const name = item.get('name');
      if (typeof name !== 'string' || name === '') {
        diagnostics.push({ severity: 'warning', code: 'kubeconfig-entry-skipped', message: `${listKey}[${index}] has no name and was skipped`, location: loc });
        return;
      }
      if (seen.has(name)) throw invalid(`${kind} "${name}" is defined twice in this file`, loc);
      seen.add(name);
      const body = toJS(item.get(kind, true));
      entries.push({ kind, name, body: isRecord(body) ? body : {}, location: loc });
    });
  }
  const current = toJS(root.get('current-context', true));
  return { file, entries, currentContext: typeof current === 'string' && !isEmptyScalar(current) ? current : undefined, diagnostics };
}

function toJS(node: unknown): unknown {
  return node !== null && typeof node === 'object' && 'toJSON' in node && typeof node.toJSON === 'function' ? (node.toJSON() as unknown) : node;
}

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyScalar(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && !isEmptyScalar(v) ? v : undefined;
}

function merge(source: KubeconfigSource, files: readonly ParsedFile[], missing: readonly string[]): LoadedKubeconfig {
  const winners = new Map<string, Entry & { dir: string }>();
  const diagnostics: Diagnostic[] = [];
  let currentContext: string | undefined;
  for (const f of files) {
    diagnostics.push(...f.diagnostics);
    currentContext ??= f.currentContext;
    for (const e of f.entries) {
      const id = `${e.kind}/${e.name}`;
      if (!winners.has(id)) winners.set(id, { ...e, dir: dirname(f.file) });
    }
  }

  const unusable = new Map<string, string>();
  const locations = new Map<string, SourceLocation>();
  const raw: Record<'clusters' | 'users' | 'contexts', Raw[]> = { clusters: [], users: [], contexts: [] };
  for (const [id, e] of winners) {
    locations.set(id, e.location);
    const problem = e.kind === 'cluster' ? normalizeCluster(e) : e.kind === 'user' ? normalizeUser(e) : normalizeContext(e);
    if (typeof problem === 'string') {
      unusable.set(id, problem);
      diagnostics.push({ severity: 'warning', code: 'kubeconfig-entry-unusable', message: `${e.kind} "${e.name}": ${problem}`, location: e.location });
      continue;
    }
    raw[`${e.kind}s`].push({ name: e.name, [e.kind]: problem });
  }

  // client-node maps the kubeconfig schema to its types (and will keep doing so as fields are added).
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(raw), { onInvalidEntry: 'throw' });
  return {
    source,
    files: files.map((f) => f.file),
    missing,
    currentContext,
    clusters: kc.getClusters(),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    unusable,
    locations,
    diagnostics,
  };
}

function absolute(dir: string, p: unknown): string | undefined {
  const s = str(p);
  return s === undefined ? undefined : isAbsolute(s) ? s : join(dir, s);
}

function normalizeCluster(e: Entry & { dir: string }): Raw | string {
  const server = str(e.body.server);
  if (!server) return 'has no server URL';
  const out: Raw = { ...e.body, server, 'insecure-skip-tls-verify': YAML_11_TRUE.has(String(e.body['insecure-skip-tls-verify'])) };
  const ca = absolute(e.dir, e.body['certificate-authority']);
  if (ca) out['certificate-authority'] = ca;
  else delete out['certificate-authority'];
  return out;
}

function normalizeUser(e: Entry & { dir: string }): Raw | string {
  const out: Raw = { ...e.body };
  for (const key of ['client-certificate', 'client-key']) {
    const p = absolute(e.dir, e.body[key]);
    if (p) out[key] = p;
    else delete out[key];
  }
  // client-go reads token-file itself and lets it win over token; client-node would read it relative
  // to the process's working directory and keep the trailing newline, so it is read here.
  const tokenFile = absolute(e.dir, e.body['token-file']);
  delete out['token-file'];
  if (tokenFile) {
    try {
      out.token = readFileSync(tokenFile, 'utf8').trim();
    } catch (err) {
      return `has a token-file that cannot be read: ${(err as Error).message}`;
    }
  }
  if (isRecord(e.body.exec)) {
    const exec: Raw = { ...e.body.exec };
    const command = str(exec.command);
    if (command && !isAbsolute(command) && (command.includes(sep) || command.includes('/'))) exec.command = join(e.dir, command);
    if ('provideClusterInfo' in exec) exec.provideClusterInfo = YAML_11_TRUE.has(String(exec.provideClusterInfo));
    out.exec = exec;
  }
  return out;
}

function normalizeContext(e: Entry): Raw | string {
  const cluster = str(e.body.cluster);
  if (!cluster) return 'names no cluster';
  const out: Raw = { cluster };
  const user = str(e.body.user);
  const namespace = str(e.body.namespace);
  if (user) out.user = user;
  if (namespace) out.namespace = namespace;
  return out;
}

/** Every usable context, sorted by name, with its cluster's server URL. */
export function listContexts(cfg: LoadedKubeconfig): ContextInfo[] {
  return cfg.contexts
    .map((c) => ({
      name: c.name,
      cluster: c.cluster,
      server: cfg.clusters.find((cl) => cl.name === c.cluster)?.server ?? '',
      user: c.user ?? '',
      namespace: c.namespace ?? 'default',
      current: c.name === cfg.currentContext,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The namespace a context names, else "default" — what kubectl uses for objects that name none. */
export function contextNamespace(cfg: LoadedKubeconfig, contextName: string): string {
  return cfg.contexts.find((c) => c.name === contextName)?.namespace || 'default';
}

/**
 * A new client-node KubeConfig holding only the named context, its cluster and its user, with that
 * context current. The loaded kubeconfig and the user's files are not changed.
 */
export function kubeConfigFor(cfg: LoadedKubeconfig, contextName: string): KubeConfig {
  const where = (id: string): string => {
    const loc = cfg.locations.get(id);
    return loc ? ` (${formatLocation(loc)})` : '';
  };
  const context = cfg.contexts.find((c) => c.name === contextName);
  if (!context) {
    const problem = cfg.unusable.get(`context/${contextName}`);
    if (problem) throw new SlipwayError('kubeconfig-invalid', `context ${contextName} ${problem}${where(`context/${contextName}`)}`);
    const files = cfg.files.length > 0 ? cfg.files.join(', ') : 'no kubeconfig file found';
    const skipped = cfg.diagnostics.filter((d) => d.code === SKIPPED_FILE).map((d) => d.message);
    throw new SlipwayError('unknown-context', `context ${contextName} is not defined in the kubeconfig (${files})${skipped.length > 0 ? `; not read: ${skipped.join('; ')}` : ''}`);
  }
  const cluster = cfg.clusters.find((c) => c.name === context.cluster);
  if (!cluster) {
    const problem = cfg.unusable.get(`cluster/${context.cluster}`);
    throw new SlipwayError(
      'kubeconfig-invalid',
      problem
        ? `context ${contextName} uses cluster ${context.cluster}, which ${problem}${where(`cluster/${context.cluster}`)}`
        : `context ${contextName} uses cluster ${context.cluster}, which is not defined in the kubeconfig${where(`context/${contextName}`)}`,
    );
  }
  // client-node applies the cluster's CA and TLS settings only when the context has a user, so a
  // context without one gets an empty (anonymous) user.
  const users: User[] = [{ name: '' }];
  if (context.user) {
    const user = cfg.users.find((u) => u.name === context.user);
    if (!user) {
      const problem = cfg.unusable.get(`user/${context.user}`);
      throw new SlipwayError(
        'kubeconfig-invalid',
        problem
          ? `context ${contextName} uses user ${context.user}, which ${problem}${where(`user/${context.user}`)}`
          : `context ${contextName} uses user ${context.user}, which is not defined in the kubeconfig${where(`context/${contextName}`)}`,
      );
    }
    users[0] = { ...user };
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ ...cluster }], users, contexts: [{ ...context, user: context.user ?? '' }], currentContext: context.name });
  return kc;
}
