/** A Kubernetes kind in a sentence: "Pods", "NetworkPolicies", "Ingresses"; "1 Pod", "3 Pods". */

export function pluralKind(kind: string): string {
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

export function countOf(n: number, kind: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? kind : pluralKind(kind)}`;
}
