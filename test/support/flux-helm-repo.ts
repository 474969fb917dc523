/**
 * A repository in the layout of Flux's flux2-kustomize-helm-example: clusters/staging and
 * clusters/production each define flux-system/apps (a Flux Kustomization of apps/<env>), and
 * apps/<env> patches the HelmRelease of apps/base/podinfo with its environment's values. Unlike
 * the example, the chart is in this repository (a GitRepository source), so no network is needed.
 */
import { createTestRepo, type TestRepo } from './git-repo.js';

/** clusters/<env>/flux-system/gotk-sync.yaml: the GitRepository of this repository that `flux bootstrap` writes. */
function gotkSync(env: string): Record<string, string> {
  return {
    [`clusters/${env}/flux-system/gotk-sync.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/flux2-kustomize-helm-example
  ref:
    branch: main
`,
  };
}

/** The files, with namespaces made unique by `prefix` (the HelmRelease's targetNamespace: <prefix><env>). */
export function fluxHelmFiles(prefix: string): Record<string, string> {
  const cluster = (env: string): Record<string, string> => ({
    ...gotkSync(env),
    [`clusters/${env}/apps.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps/${env}
  prune: true
`,
    [`apps/${env}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base/podinfo
patches:
  - path: podinfo-values.yaml
    target:
      kind: HelmRelease
`,
    [`apps/${env}/podinfo-values.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  targetNamespace: ${prefix}${env}
  values:
    replicaCount: ${env === 'staging' ? 2 : 3}
    message: hello from ${env}
`,
  });
  return {
    ...cluster('staging'),
    ...cluster('production'),
    'apps/base/podinfo/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - release.yaml
`,
    'apps/base/podinfo/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 50m
  install:
    createNamespace: true
  chart:
    spec:
      chart: ./charts/podinfo
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicaCount: 1
    message: hello
`,
    'charts/podinfo/Chart.yaml': `apiVersion: v2
name: podinfo
version: 6.8.0
`,
    'charts/podinfo/values.yaml': `replicaCount: 1
message: default
`,
    'charts/podinfo/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  message: {{ .Values.message | quote }}
  replicas: {{ .Values.replicaCount | quote }}
`,
  };
}

export function createFluxHelmRepo(prefix: string): TestRepo {
  const repo = createTestRepo({ prefix: 'slipway-flux-helm-' });
  repo.write(fluxHelmFiles(prefix));
  repo.commit('flux2-kustomize-helm-example layout, chart in the repository');
  return repo;
}

/**
 * The same example in its Flux 2.7 layout: an ArtifactGenerator per cluster (clusters/<env>/artifacts.yaml)
 * cuts the repository into ExternalArtifacts — `apps` (apps/base and apps/<env>) for the clusters'
 * Kustomizations, `podinfo` (the chart) for the HelmRelease's chartRef. Slipway cannot follow them.
 */
export function fluxExternalArtifactFiles(): Record<string, string> {
  const cluster = (env: string): Record<string, string> => ({
    ...gotkSync(env),
    [`clusters/${env}/artifacts.yaml`]: `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: flux-system
  namespace: flux-system
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: apps
      originRevision: "@repo"
      copy:
        - from: "@repo/apps/base/**"
          to: "@artifact/base/"
        - from: "@repo/apps/${env}/**"
          to: "@artifact/${env}/"
    - name: podinfo
      copy:
        - from: "@repo/charts/podinfo/**"
          to: "@artifact/"
`,
    [`clusters/${env}/apps.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: ExternalArtifact
    name: apps
  path: ./${env}
  prune: true
`,
  });
  const files = fluxHelmFiles('fa-');
  return {
    ...cluster('staging'),
    ...cluster('production'),
    ...Object.fromEntries(Object.entries(files).filter(([path]) => path.startsWith('apps/') || path.startsWith('charts/'))),
    'apps/base/podinfo/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 50m
  chartRef:
    kind: ExternalArtifact
    name: podinfo
    namespace: flux-system
  values:
    replicaCount: 1
`,
  };
}
