/**
 * What an RBAC Role or ClusterRole grants, as (apiGroup, resource, verb) triples and
 * (nonResourceURL, verb) pairs, and whether one set of rules covers another ('*' covers every
 * value; resourceNames narrow a rule to those names).
 */
import { objects, strings, type Obj } from './fields.js';

export interface Grant {
  readonly group: string;
  /** A resource ("pods", "pods/log"), or a non-resource URL starting with "/". */
  readonly resource: string;
  readonly verb: string;
  /** Only these objects; empty: every one. */
  readonly names: readonly string[];
}

export function grantsOf(role: Obj | undefined): Grant[] {
  const out: Grant[] = [];
  for (const r of objects(role, 'rules')) {
    const verbs = strings(r, 'verbs');
    const names = strings(r, 'resourceNames');
    for (const url of strings(r, 'nonResourceURLs')) for (const verb of verbs) out.push({ group: '', resource: url, verb, names: [] });
    const groups = strings(r, 'apiGroups');
    for (const group of groups) for (const resource of strings(r, 'resources')) for (const verb of verbs) out.push({ group, resource, verb, names });
  }
  return out;
}

const covers = (have: string, want: string): boolean => have === '*' || have === want || (have.endsWith('*') && have.startsWith('/') && want.startsWith(have.slice(0, -1)));

/** Whether `grants` already allow everything `g` allows. */
export function covered(g: Grant, grants: readonly Grant[]): boolean {
  return grants.some((h) => covers(h.group, g.group) && covers(h.resource, g.resource) && covers(h.verb, g.verb) && (h.names.length === 0 || (g.names.length > 0 && g.names.every((n) => h.names.includes(n)))));
}

export const isWildcard = (g: Grant): boolean => g.group === '*' || g.resource === '*' || g.verb === '*';

/** "delete pods", "* secrets", "get /metrics", "* *.apps" */
export function formatGrant(g: Grant): string {
  const resource = g.resource.startsWith('/') || g.group === '' ? g.resource : `${g.resource}.${g.group}`;
  return `${g.verb} ${resource}${g.names.length > 0 ? ` (${g.names.join(', ')})` : ''}`;
}
