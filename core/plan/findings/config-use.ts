/**
 * For each ConfigMap or Secret whose content the plan changes: which workloads of the app use it
 * and how, and so whether their running Pods see the change (kubernetes/kubernetes#22368). One
 * finding per workload and way of use, never one on a workload that does not name it. And the
 * ConfigMaps and Secrets the plan deletes while a workload still names them.
 *
 * The way of use decides, as a table: USE_RULES.
 */
import { identityOf, type ResourceKey } from '../../model/resource.js';
import type { Finding, FindingKind, FindingSeverity } from '../types.js';
import { at, label, listed, type PlannedObject } from './fields.js';
import { configUses, type ConfigKind, type ConfigUse } from './references.js';
import { podSpec, workloadKind } from './workloads.js';

const CONFIG_KINDS: readonly ConfigKind[] = ['ConfigMap', 'Secret'];
/** Fields whose change is a change of content (labels and annotations are not). */
const CONTENT_FIELDS = ['data', 'binaryData', 'stringData'];

const isConfig = (key: ResourceKey): key is ResourceKey & { kind: ConfigKind } => key.group === '' && (CONFIG_KINDS as readonly string[]).includes(key.kind);
const under = (path: string, field: string): boolean => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/** What a reader of the config sees after the change, in one case. */
interface UseRule {
  readonly rule: string;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  /** Which uses of the config it covers, given the workload and config at hand. */
  readonly test: (c: UseCase) => boolean;
  readonly sentence: (c: UseCase, uses: readonly ConfigUse[]) => string;
}

interface UseCase {
  readonly workload: PlannedObject;
  readonly config: PlannedObject;
  readonly use: ConfigUse;
  /** The plan replaces the workload's Pods anyway. */
  readonly rolls: boolean;
  /** The config is immutable: it is replaced, and the kubelet does not watch it. */
  readonly immutable: boolean;
}

const how = (uses: readonly ConfigUse[]): string => listed([...new Set(uses.map((u) => (u.container ? `${u.detail} in container ${u.container}` : u.detail)))]);

/** A risk: a ConfigMap or Secret the plan deletes while a workload still needs it. */
export const CONFIG_DELETED_IN_USE = 'config-deleted-in-use';

/** First match wins, per use ('config-ignored' makes no finding). */
export const USE_RULES: readonly UseRule[] = [
  { rule: 'config-ignored', kind: 'impact', severity: 'info', test: (c) => c.use.how === 'imagePullSecret', sentence: () => '' },
  {
    rule: 'config-rolls',
    kind: 'impact',
    severity: 'info',
    test: (c) => c.rolls,
    sentence: (c, uses) => `${label(c.workload.key)} starts its new Pods with the changed ${label(c.config.key)} (${how(uses)}): this plan replaces its Pods anyway.`,
  },
  {
    rule: 'config-next-run',
    kind: 'impact',
    severity: 'info',
    test: (c) => c.workload.key.kind === 'CronJob',
    sentence: (c, uses) => `${label(c.workload.key)}'s next Jobs read the changed ${label(c.config.key)} (${how(uses)}); a Job already running keeps what it read.`,
  },
  {
    rule: 'config-immutable',
    kind: 'impact',
    severity: 'warning',
    test: (c) => c.immutable,
    sentence: (c, uses) => `${label(c.config.key)} is immutable, so it is deleted and created again, and running Pods of ${label(c.workload.key)} keep its old content until they restart (${how(uses)}).`,
  },
  {
    rule: 'config-env',
    kind: 'impact',
    severity: 'warning',
    test: (c) => c.use.how === 'env' || c.use.how === 'envFrom',
    sentence: (c, uses) => `Running Pods of ${label(c.workload.key)} keep the old value of ${label(c.config.key)} until they restart: they read it as environment variables (${how(uses)}).`,
  },
  {
    rule: 'config-subpath',
    kind: 'impact',
    severity: 'warning',
    test: (c) => c.use.how === 'subPath',
    sentence: (c, uses) => `Running Pods of ${label(c.workload.key)} never see the change to ${label(c.config.key)}: a subPath mount is not updated (${how(uses)}); they read it when they restart.`,
  },
  {
    rule: 'config-volume',
    kind: 'impact',
    severity: 'info',
    test: (c) => c.use.how === 'volume',
    sentence: (c, uses) => `${label(c.config.key)} is updated in the running Pods of ${label(c.workload.key)} within about a minute (${how(uses)}); the program must read the files again to notice.`,
  },
];

/** Findings on the workloads that use a ConfigMap or Secret whose content this plan changes, or that it deletes. */
export function configFindings(objects: readonly PlannedObject[], replacing: ReadonlySet<string>): Finding[] {
  const changed = objects.filter((o) => isConfig(o.key) && (o.action === 'update' || o.action === 'replace') && changesContent(o));
  const deleted = objects.filter((o) => isConfig(o.key) && o.action === 'delete');
  if (changed.length === 0 && deleted.length === 0) return [];
  // Workloads as they will be: every one of the app's with an after side (noops too: they carry their object).
  const workloads = objects.flatMap((o) => {
    const w = workloadKind(o.key);
    if (!w || o.action === 'delete' || o.action === 'error' || !o.key.namespace) return [];
    const uses = configUses(podSpec(w, o.after));
    return uses.length > 0 ? [{ o, uses }] : [];
  });
  const findings: Finding[] = [];
  for (const config of changed) {
    const immutable = at(config.before, 'immutable') === true || at(config.after, 'immutable') === true;
    for (const { o, uses } of workloads) {
      if (o.key.namespace !== config.key.namespace) continue;
      const mine = uses.filter((u) => u.kind === config.key.kind && u.name === config.key.name);
      const byRule = new Map<UseRule, ConfigUse[]>();
      const rolls = replacing.has(identityOf(o.key));
      for (const use of mine) {
        const rule = USE_RULES.find((r) => r.test({ workload: o, config, use, rolls, immutable }));
        if (rule && rule.rule !== 'config-ignored') byRule.set(rule, [...(byRule.get(rule) ?? []), use]);
      }
      for (const [rule, ruleUses] of byRule) {
        findings.push({ kind: rule.kind, rule: rule.rule, severity: rule.severity, subject: o.key, cause: config.key, message: rule.sentence({ workload: o, config, use: ruleUses[0]!, rolls, immutable }, ruleUses), paths: contentPaths(config) });
      }
    }
  }
  for (const config of deleted) {
    for (const { o, uses } of workloads) {
      if (o.key.namespace !== config.key.namespace) continue;
      const mine = uses.filter((u) => u.kind === config.key.kind && u.name === config.key.name && !u.optional);
      if (mine.length === 0) continue;
      findings.push({
        kind: 'risk',
        rule: CONFIG_DELETED_IN_USE,
        severity: 'danger',
        subject: o.key,
        cause: config.key,
        message: `${label(config.key)} is deleted, but ${label(o.key)} still uses it (${how(mine)}): its new Pods cannot start.`,
      });
    }
  }
  return findings;
}

function changesContent(o: PlannedObject): boolean {
  return o.change.changedPaths.some((p) => CONTENT_FIELDS.some((f) => under(p, f)));
}

function contentPaths(o: PlannedObject): string[] {
  return o.change.changedPaths.filter((p) => CONTENT_FIELDS.some((f) => under(p, f)));
}

