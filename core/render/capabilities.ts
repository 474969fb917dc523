/**
 * Helm's `.Capabilities` for a target, as Argo CD gives them to `helm template`: the target's
 * Kubernetes version (`--kube-version`) and every group/version and group/version/Kind its
 * discovery serves (`--api-versions`), so `.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`
 * and `.Capabilities.KubeVersion` read what they would read on that cluster. Pure: the caller
 * passes the target's version and discovery as data; without them Helm's defaults apply.
 */
import type { Discovery, Target } from '../kube/types.js';

/** What `helm template` is told about the cluster it renders for. */
export interface HelmCapabilities {
  /** "1.35.4": the server's version without the build or vendor suffix; absent when the server's version cannot be read (Helm's default then). */
  readonly kubeVersion?: string;
  /** Sorted, each once: "apps/v1", "apps/v1/Deployment", "v1", "v1/ConfigMap", … */
  readonly apiVersions: readonly string[];
}

/**
 * Kubernetes' generic version form, as Argo CD's repo server reduces the server's gitVersion
 * (k8s.io/apimachinery ParseGeneric): the leading dotted numbers, at least major.minor, without
 * "v", pre-release or build ("v1.29.4-eks-036c24b" and "v1.31.2+k3s1" → "1.29.4", "1.31.2").
 * Falls back on /version's major and minor ("1", "31+" on GKE); undefined when neither reads.
 */
export function kubeVersionOf(serverVersion: Target['serverVersion']): string | undefined {
  const generic = /^\s*v?(\d+(?:\.\d+)+)/.exec(serverVersion.gitVersion);
  if (generic) return generic[1];
  const major = /^\d+/.exec(serverVersion.major)?.[0];
  const minor = /^\d+/.exec(serverVersion.minor)?.[0];
  return major && minor ? `${major}.${minor}` : undefined;
}

/**
 * The capabilities of a target: its version, and each served group version and
 * group/version/Kind (Argo CD's APIResourcesToStrings with kinds; Helm's own GetVersionSet when it
 * installs), sorted. A group version the server lists but could not describe (an aggregated API
 * whose backend is down) counts as a group version, without kinds, as Helm counts it.
 */
export function helmCapabilities(target: Pick<Target, 'serverVersion'>, discovery: Pick<Discovery, 'resources' | 'unavailable'>): HelmCapabilities {
  const set = new Set<string>();
  for (const r of discovery.resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    set.add(gv);
    set.add(`${gv}/${r.kind}`);
  }
  for (const gv of discovery.unavailable) set.add(gv);
  const kubeVersion = kubeVersionOf(target.serverVersion);
  return { ...(kubeVersion !== undefined && { kubeVersion }), apiVersions: [...set].sort(compareStrings) };
}

/** Code-unit order (as Go's sort of strings), the same on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Longest `--api-versions` value: Helm splits a value on commas, so the list goes in as few
 * arguments as fit. Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); a cluster with
 * thousands of CRD kinds takes a few arguments instead of one too long.
 */
export const API_VERSIONS_ARG_MAX = 64 * 1024;

/** The arguments that give `helm template` these capabilities; none without them (Helm's defaults). */
export function helmCapabilityArgs(capabilities: HelmCapabilities | undefined, opts: { readonly maxArgLength?: number } = {}): string[] {
  if (!capabilities) return [];
  const args: string[] = [];
  if (capabilities.kubeVersion) args.push('--kube-version', capabilities.kubeVersion);
  const max = opts.maxArgLength ?? API_VERSIONS_ARG_MAX;
  let value = '';
  for (const v of capabilities.apiVersions) {
    if (!v || v.includes(',')) continue; // a comma would split it in two: no group, version or kind has one
    if (value && value.length + 1 + v.length > max) {
      args.push('--api-versions', value);
      value = '';
    }
    value = value ? `${value},${v}` : v;
  }
  if (value) args.push('--api-versions', value);
  return args;
}
