/**
 * The live tree as text (`slipway status`), indented as `kubectl tree` and Argo CD's resource tree
 * draw it, then the app's Events as `kubectl events` lists them (newest first), then what could not
 * be read. Old ReplicaSets (0 replicas) fold into one line under their Deployment. Ages are counted
 * from the tree's readAt. Colour only when `color` is set (the CLI decides from the TTY and NO_COLOR).
 */
import type { HealthStatus } from '../model/health.js';
import type { EventRow } from './events.js';
import type { LiveTree, ReadGap, TreeNode } from './tree.js';

export interface TreeTextOptions {
  readonly color?: boolean;
  /** A title line above the tree: "app web on context prod (namespace shop)". */
  readonly title?: string;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const ANSI: Readonly<Record<Style, string>> = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' };
const HEALTH_STYLE: Readonly<Record<HealthStatus, Style>> = { healthy: 'green', progressing: 'cyan', degraded: 'red', missing: 'yellow', unknown: 'yellow' };

/** kubectl's short age: 45s, 12m, 5h, 3d, 2y. */
export function shortAge(fromIso: string | undefined, toIso: string): string {
  if (!fromIso) return '-';
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 365 * 86400) return `${Math.floor(s / 86400)}d`;
  return `${Math.floor(s / (365 * 86400))}y`;
}

const kindName = (key: TreeNode['key']): string => `${key.group ? `${key.kind}.${key.group}` : key.kind}/${key.name}`;

interface Row {
  readonly namespace: string;
  readonly name: string;
  readonly health: HealthStatus | undefined;
  readonly age: string;
  readonly message: string;
  /** Continuation lines under the message (a reason). */
  readonly more: readonly string[];
}

function rowsOf(tree: LiveTree): Row[] {
  const rows: Row[] = [];
  const visit = (n: TreeNode, lead: string, branch: string): void => {
    const flags = [n.gone ? 'gone' : '', n.deleting ? 'deleting' : ''].filter(Boolean);
    const podLine = n.key.kind === 'Pod' && n.phase !== undefined && n.reason !== undefined;
    rows.push({
      namespace: n.key.namespace ?? '',
      name: `${lead}${branch}${kindName(n.key)}`,
      health: n.health,
      age: n.gone ? '-' : shortAge(n.createdAt, tree.readAt),
      // A Pod with a reason says it after its phase ("Pending: 0/1 nodes are available: … (FailedScheduling)"): the rule's line says less.
      message: `${flags.length > 0 ? `(${flags.join(', ')}) ` : ''}${podLine ? `${n.phase}: ${n.reason}` : n.message}`,
      more: !podLine && n.reason !== undefined && n.reason !== n.message ? [n.reason] : [],
    });
    const childLead = lead + (branch === '' ? '' : branch.startsWith('└') ? '   ' : '│  ');
    const shown = n.children.filter((c) => !c.old);
    const old = n.children.length - shown.length;
    const extra: string[] = [];
    if (old > 0) extra.push(`${old} old ReplicaSet${old === 1 ? '' : 's'} (0 replicas)`);
    for (const kind of n.unread ?? []) extra.push(`${kind}s not read (see "Not read" below)`);
    const last = shown.length + extra.length - 1;
    shown.forEach((c, i) => visit(c, childLead, i === last ? '└─ ' : '├─ '));
    extra.forEach((text, i) => rows.push({ namespace: n.key.namespace ?? '', name: `${childLead}${shown.length + i === last ? '└─ ' : '├─ '}${text}`, health: undefined, age: '', message: '', more: [] }));
  };
  for (const r of tree.roots) visit(r, '', '');
  return rows;
}

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

export function renderTreeText(tree: LiveTree, opts: TreeTextOptions = {}): string {
  const paint = (style: Style, text: string): string => (opts.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];
  const head = `${opts.title ? `${opts.title}: ` : ''}${paint(HEALTH_STYLE[tree.health], tree.health)}`;
  out.push(paint('bold', head));
  out.push(`ApplySet ${tree.applySet.parent}${tree.applySet.found ? '' : ' (not found: this app was never applied to this context, or its namespace differs: -n)'}`);
  const c = tree.counts;
  const counted = (['healthy', 'progressing', 'degraded', 'missing', 'unknown'] as const).filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  if (counted.length > 0) out.push(`Objects: ${counted.join(', ')}`);
  out.push('');

  const rows = rowsOf(tree);
  if (rows.length === 0) out.push('No objects of this app were found.');
  else {
    const wNs = Math.max('NAMESPACE'.length, ...rows.map((r) => r.namespace.length));
    const wName = Math.max('NAME'.length, ...rows.map((r) => [...r.name].length));
    const wHealth = 'PROGRESSING'.length;
    const wAge = Math.max('AGE'.length, ...rows.map((r) => r.age.length));
    out.push(paint('dim', `${pad('NAMESPACE', wNs)}  ${pad('NAME', wName)}  ${pad('HEALTH', wHealth)}  ${pad('AGE', wAge)}  MESSAGE`));
    const indent = ' '.repeat(wNs + wName + wHealth + wAge + 8);
    for (const r of rows) {
      const health = r.health ? paint(HEALTH_STYLE[r.health], pad(r.health, wHealth)) : pad('', wHealth);
      out.push(`${pad(r.namespace, wNs)}  ${pad(r.name, wName)}  ${health}  ${pad(r.age, wAge)}  ${r.message}`.trimEnd());
      for (const m of r.more) out.push(`${indent}${paint(r.health === 'healthy' ? 'dim' : 'yellow', `↳ ${m}`)}`);
    }
  }

  out.push('', ...eventLines(tree, paint));
  if (tree.gaps.length > 0) out.push('', ...gapLines(tree.gaps));
  return `${out.join('\n')}\n`;
}

function eventLines(tree: LiveTree, paint: (style: Style, text: string) => string): string[] {
  if (tree.events.length === 0 && tree.moreEvents > 0) return [`Events: ${tree.moreEvents}, none shown (--events).`];
  if (tree.events.length === 0) return [tree.gaps.some((g) => g.of === 'events') ? 'Events: not read (see "Not read" below).' : 'Events: none.'];
  const total = tree.events.length + tree.moreEvents;
  const lines = [`Events (newest first${tree.moreEvents > 0 ? `, ${tree.events.length} of ${total}` : ''}):`];
  const objectOf = (e: EventRow): string => `${e.object.kind}/${e.object.name}`;
  const w = {
    seen: Math.max('LAST SEEN'.length, ...tree.events.map((e) => shortAge(e.lastSeen, tree.readAt).length)),
    type: Math.max('TYPE'.length, ...tree.events.map((e) => e.type.length)),
    reason: Math.max('REASON'.length, ...tree.events.map((e) => e.reason.length)),
    object: Math.max('OBJECT'.length, ...tree.events.map((e) => objectOf(e).length)),
  };
  lines.push(paint('dim', `${pad('LAST SEEN', w.seen)}  ${pad('TYPE', w.type)}  ${pad('REASON', w.reason)}  ${pad('OBJECT', w.object)}  MESSAGE`));
  for (const e of tree.events) {
    const type = e.type === 'Warning' ? paint('yellow', pad(e.type, w.type)) : pad(e.type, w.type);
    lines.push(`${pad(shortAge(e.lastSeen, tree.readAt), w.seen)}  ${type}  ${pad(e.reason, w.reason)}  ${pad(objectOf(e), w.object)}  ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`.trimEnd());
  }
  return lines;
}

const gkText = (g: ReadGap): string => (g.group ? `${g.kind}.${g.group}` : g.kind);
const GAP_WHAT: Readonly<Record<ReadGap['of'], (g: ReadGap) => string>> = {
  members: (g) => `the app's ${gkText(g)} objects`,
  children: (g) => `${gkText(g)} objects under the app's`,
  events: () => 'Events',
};

function gapLines(gaps: readonly ReadGap[]): string[] {
  return ['Not read:', ...gaps.map((g) => `  ${GAP_WHAT[g.of](g)}${g.namespace ? ` in ${g.namespace}` : ''}: ${g.message}`)];
}
