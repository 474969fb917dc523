/**
 * Label selectors (metav1.LabelSelector: matchLabels and matchExpressions; a Service's plain map)
 * matched against a Pod template's labels, as the API server matches them.
 */
import { isPlainObject } from '../json.js';
import { objects, str, strings } from './fields.js';

export function selectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isPlainObject(selector)) return false;
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = objects(selector, 'matchExpressions');
  // An empty LabelSelector selects everything (a PodDisruptionBudget's `selector: {}` does).
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  return expressions.every((e) => {
    const key = str(e, 'key') ?? '';
    const has = Object.hasOwn(labels, key);
    const values = strings(e, 'values');
    switch (str(e, 'operator')) {
      case 'In':
        return has && values.includes(String(labels[key]));
      case 'NotIn':
        return !has || !values.includes(String(labels[key]));
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** A Service's selector (a plain map): every pair must match; an empty one selects nothing (no Endpoints are made). */
export function mapSelectorMatches(selector: unknown, labels: Readonly<Record<string, unknown>>): boolean {
  if (!isPlainObject(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** "app=web, tier=front" */
export function formatSelector(selector: unknown): string {
  if (!isPlainObject(selector)) return '(none)';
  const plain = isPlainObject(selector.matchLabels) || Array.isArray(selector.matchExpressions) ? (isPlainObject(selector.matchLabels) ? selector.matchLabels : {}) : selector;
  const parts = Object.entries(plain).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of objects(selector, 'matchExpressions')) parts.push(`${str(e, 'key') ?? '?'} ${str(e, 'operator') ?? '?'}${strings(e, 'values').length > 0 ? ` (${strings(e, 'values').join(', ')})` : ''}`);
  return parts.length > 0 ? parts.join(', ') : '(empty)';
}
