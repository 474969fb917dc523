/**
 * An Argo CD source that names a chart in a Helm repository or OCI registry (chart + repoURL +
 * targetRevision) becomes a helm app whose chart is fetched at render time; its values files may
 * come from this repository through a `$ref` source (multi-source Applications).
 */
import type { App, AppOptions, HelmOptions } from '../apps.js';
import { toAppName } from '../apps.js';
import type { Reporter } from './common.js';
import { redactUrl } from './common.js';

interface ChartSourceFields<H extends { readonly valueFiles?: string[] | undefined }> {
  readonly repoURL?: string | undefined;
  readonly chart?: string | undefined;
  readonly targetRevision?: string | undefined;
  readonly helm?: H | undefined;
}

export function argoChartApp<H extends { readonly valueFiles?: string[] | undefined }>(
  source: ChartSourceFields<H>,
  ctx: { field: string; name: string; options: AppOptions; destination: App['destination']; origin: App['origin']; report: Reporter; helmOptions: (helm: H, field: string) => HelmOptions },
): App | undefined {
  const { field, report } = ctx;
  if (!source.repoURL || !source.chart) {
    report.add('warning', 'argocd-chart-incomplete', `${field} names a chart but no repoURL; not imported`);
    return undefined;
  }
  let helm = undefined as App['source']['helm'];
  if (source.helm) {
    // Plain valueFiles are files inside the chart archive, which Slipway does not read; `$ref/…` ones are this repository's.
    const inChart = (source.helm.valueFiles ?? []).filter((f) => !f.startsWith('$'));
    for (const f of inChart) report.add('warning', 'argocd-values-file', `${field}.helm.valueFiles: ${JSON.stringify(f)} is a file inside the chart, which Slipway does not read; rendered without it (use $values/… from this repository)`);
    helm = ctx.helmOptions({ ...source.helm, valueFiles: (source.helm.valueFiles ?? []).filter((f) => f.startsWith('$')) }, `${field}.helm`);
  }
  return {
    name: toAppName(ctx.name) || 'app',
    path: '',
    source: { type: 'helm', ...(helm && { helm }), chart: { repoURL: redactUrl(source.repoURL), chart: source.chart, targetRevision: source.targetRevision ?? '' } },
    destination: ctx.destination,
    options: ctx.options,
    ...(source.targetRevision !== undefined && { targetRevision: source.targetRevision }),
    repoUrl: redactUrl(source.repoURL),
    origin: ctx.origin,
  };
}
