/**
 * Helm test hooks (`helm.sh/hook: test`, and Helm 2's `test-success` / `test-failure`) are run by
 * `helm test` only, never created by `helm install`, so they are not objects of the app. They are
 * dropped after rendering, as `helm template --skip-tests` drops them, so that any helm works and
 * the diagnostic can say how many there were.
 */
import { isPlainObject, type DesiredObject, type Manifest } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { HELM_HOOKS } from '../model/hooks.js';

/** Helm's test events, from the one table of Helm hooks (core/model/hooks.ts). */
const TEST_EVENTS: ReadonlySet<string> = new Set(Object.keys(HELM_HOOKS).filter((event) => event === 'test' || event.startsWith('test-')));

export function isHelmTestHook(manifest: Manifest): boolean {
  const annotations = manifest.metadata.annotations;
  const hook = isPlainObject(annotations) ? annotations['helm.sh/hook'] : undefined;
  // The annotation lists events separated by commas; like --skip-tests, any test event makes it a test hook.
  return typeof hook === 'string' && hook.split(',').some((event) => TEST_EVENTS.has(event.trim()));
}

export function withoutHelmTests(objects: readonly DesiredObject[]): { objects: DesiredObject[]; tests: number } {
  const kept = objects.filter((o) => !isHelmTestHook(o.manifest));
  return { objects: kept, tests: objects.length - kept.length };
}

export function testsLeftOut(app: string, count: number): Diagnostic {
  return {
    severity: 'info',
    code: 'helm-tests-skipped',
    message: `${count} Helm test hook${count === 1 ? ' was' : 's were'} left out of app ${app}: helm install does not create test hooks (helm test runs them)`,
  };
}
