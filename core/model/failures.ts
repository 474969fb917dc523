/**
 * Many objects failing the same way — a full Service IP range, a namespace that is not there, a
 * cluster gone away — are told once, with how many and a few of their names, not once per object
 * (issue 21: an apply of 1,000 objects printed the same error 1,000 times). Pure functions only.
 *
 * An object's message usually names the object ("Service shop/a is invalid: …", `services "a"
 * already exists`), so two messages are the same failure when they are equal with each object's
 * own name taken out.
 */
import { formatKey, type ResourceKey } from './resource.js';

export interface ObjectFailure {
  readonly key: ResourceKey;
  readonly message: string;
}

/** Objects that failed the same way: the first one's message, and every object's key in order. */
export interface FailureGroup {
  readonly message: string;
  readonly keys: readonly ResourceKey[];
}

/** How many objects a group names; the others are counted. */
export const NAMES_SHOWN = 3;

/** What two failures share when they are the same failure: the message with the object's own names (its key as Slipway writes it, its name quoted as the API server does) blanked. */
export function failureIdentity(f: ObjectFailure): string {
  let text = f.message;
  for (const own of [formatKey(f.key), `"${f.key.name}"`]) text = text.split(own).join('\u0000');
  return text;
}

/** Groups failures by failureIdentity, in the order each first appears. */
export function groupFailures(failures: readonly ObjectFailure[]): FailureGroup[] {
  const groups = new Map<string, { message: string; keys: ResourceKey[] }>();
  for (const f of failures) {
    const id = failureIdentity(f);
    const group = groups.get(id);
    if (group) group.keys.push(f.key);
    else groups.set(id, { message: f.message, keys: [f.key] });
  }
  return [...groups.values()];
}

/** "Service shop/a, Service shop/b, Service shop/c and 997 more": the first `shown` keys, the rest counted. */
export function keysText(keys: readonly ResourceKey[], shown = NAMES_SHOWN): string {
  const named = keys.slice(0, shown).map(formatKey);
  const more = keys.length - named.length;
  if (more === 0) return named.length <= 2 ? named.join(' and ') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `${named.join(', ')} and ${more} more`;
}

/**
 * One line per group: "Service shop/a: <message>" for one object; for several, "1000 objects,
 * e.g. Service shop/a: <its message> (also Service shop/b, Service shop/c and 997 more)".
 */
export function groupText(group: FailureGroup): string {
  const [first, ...others] = group.keys;
  const failure = `${formatKey(first!)}: ${group.message}`;
  if (others.length === 0) return failure;
  return `${group.keys.length} objects, e.g. ${failure} (also ${keysText(others, NAMES_SHOWN - 1)})`;
}

/** Failures as one text (the run's error), each group once, separated by "; ". */
export function failuresText(failures: readonly ObjectFailure[]): string {
  return groupFailures(failures).map(groupText).join('; ');
}
