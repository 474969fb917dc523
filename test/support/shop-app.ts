/**
 * The "shop" fixture app of the integration tests (test/integration/testdata/plan/shop): every
 * common kind, a CRD and its custom resource. Its files carry placeholders for what must be
 * unique per test run: __NAMESPACE__, __GROUP__ (the CRD's API group) and __PASSWORD__.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SHOP_FIXTURE_DIR = new URL('../integration/testdata/plan/shop/', import.meta.url).pathname;

export interface ShopValues {
  readonly namespace: string;
  readonly group: string;
  readonly password: string;
}

/** The app's files (file name → content) with the placeholders filled in, under `dir` (default apps/shop). */
export function shopAppFiles(values: ShopValues, opts: { readonly dir?: string } = {}): Record<string, string> {
  const dir = opts.dir ?? 'apps/shop';
  const files: Record<string, string> = {};
  for (const name of readdirSync(SHOP_FIXTURE_DIR).sort()) {
    files[`${dir}/${name}`] = readFileSync(join(SHOP_FIXTURE_DIR, name), 'utf8')
      .replaceAll('__NAMESPACE__', values.namespace)
      .replaceAll('__GROUP__', values.group)
      .replaceAll('__PASSWORD__', values.password);
  }
  return files;
}

/** Every object of the shop app, as "Kind namespace/name" (cluster-scoped: "Kind name"). */
export function shopObjects(values: { readonly namespace: string; readonly group: string }): string[] {
  return [
    `CustomResourceDefinition promotions.${values.group}`,
    `Namespace ${values.namespace}`,
    ...[
      'ConfigMap shop-config',
      'CronJob report',
      'Deployment web',
      'Deployment worker',
      'HorizontalPodAutoscaler worker',
      'Ingress web',
      'Job migrate',
      'Promotion spring-sale',
      'Role shop-reader',
      'RoleBinding shop-reader',
      'Secret shop-db',
      'Service web',
      'ServiceAccount shop',
      'StatefulSet db',
    ].map((o) => o.replace(' ', ` ${values.namespace}/`)),
  ];
}
