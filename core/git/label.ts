/**
 * How a commit is named where a revision is shown (plan header, apply, History, rollback): its
 * tags, its subject and its short id — "v1.2.0 · storefront: scale up (3f2a9c1)" — so a
 * reviewer recognises the release, not seven hex digits. Pure.
 */

export interface LabelParts {
  readonly shortOid: string;
  readonly subject: string;
  /** Tags pointing at the commit, in the order to show. */
  readonly tags: readonly string[];
}

/** A subject longer than this is cut, with "…". */
const MAX_SUBJECT = 72;
/** Tags shown by name; more are counted ("v1.2.0, latest +2"). */
const MAX_TAGS = 2;

export function revisionLabel(p: LabelParts): string {
  const shown = p.tags.slice(0, MAX_TAGS).join(', ');
  const tags = p.tags.length > MAX_TAGS ? `${shown} +${p.tags.length - MAX_TAGS}` : shown;
  const subject = p.subject.trim().length > MAX_SUBJECT ? `${p.subject.trim().slice(0, MAX_SUBJECT - 1)}…` : p.subject.trim();
  const words = [tags, subject].filter(Boolean).join(' · ');
  return words ? `${words} (${p.shortOid})` : p.shortOid;
}

/** Version-looking tags first, newest version first ("v1.10.0" before "v1.9.0"), then the others by name. */
export function orderTags(tags: readonly string[]): string[] {
  const version = (t: string): number[] | undefined => /^v?(\d+(?:\.\d+)*)/.exec(t)?.[1]!.split('.').map(Number);
  return [...tags].sort((a, b) => {
    const va = version(a);
    const vb = version(b);
    if (va && !vb) return -1;
    if (vb && !va) return 1;
    if (va && vb) {
      for (let i = 0; i < Math.max(va.length, vb.length); i++) {
        const d = (vb[i] ?? 0) - (va[i] ?? 0);
        if (d !== 0) return d;
      }
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
