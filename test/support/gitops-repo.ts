/**
 * A small but real GitOps repository, built commit by commit for tests: a directory app with
 * nested folders, a kustomize base with two overlays, a local Helm chart with values files,
 * a slipway.yaml, tags (annotated and lightweight), a feature branch and uncommitted changes.
 */
import { createTestRepo, type TestRepo } from './git-repo.js';

export interface GitOpsRepo extends TestRepo {
  readonly commits: { readonly initial: string; readonly second: string; readonly third: string; readonly feature: string };
}

const deployment = (name: string, replicas: number, image = 'nginx:1.27'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

export function createGitOpsRepo(): GitOpsRepo {
  const repo = createTestRepo({ prefix: 'slipway-gitops-' });
  repo.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: web
    path: apps/web
    destination: {namespace: web}
  - name: shop
    path: apps/shop/overlays/prod
  - name: shop-staging
    path: apps/shop/overlays/staging
  - name: api
    path: charts/api
    source:
      type: helm
      helm:
        releaseName: api
        valuesFiles: [values-prod.yaml]
        set: {replicaCount: "2"}
    destination: {namespace: api}
`,
    'README.md': '# platform\n',
    '.github/workflows/ci.yaml': 'name: ci\non: [push]\njobs: {}\n',
    'apps/web/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/web/deploy.yaml': `${deployment('web', 2)}---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  selector: {app: web}
  ports:
    - port: 80
`,
    'apps/web/config/cm.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'web' }, data: { mode: 'blue' } }, null, 2),
    'apps/web/config/notes.yaml': '# not a manifest\nowner: team-web\n',
    'apps/web/nested/deeper/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\n  namespace: web\nstringData:\n  token: s3cr3t-plaintext-value\n',
    'apps/web/README.md': 'Web app.\n',
    'apps/shop/base/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - svc.yaml\n',
    'apps/shop/base/deploy.yaml': deployment('shop', 1).replace('  namespace: web\n', ''),
    'apps/shop/base/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  selector: {app: shop}\n  ports: [{port: 8080}]\n',
    'apps/shop/overlays/prod/kustomization.yaml': `namespace: shop-prod
labels:
  - pairs: {env: prod}
resources:
  - ../../base
replicas:
  - name: shop
    count: 3
`,
    'apps/shop/overlays/staging/kustomization.yaml': 'namespace: shop-staging\nnamePrefix: staging-\nresources:\n  - ../../base\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\nappVersion: "1.0"\n',
    'charts/api/values.yaml': 'replicaCount: 1\nimage: ghcr.io/example/api:1.0\nport: 8080\n',
    'charts/api/values-prod.yaml': 'image: ghcr.io/example/api:1.0-prod\n',
    'charts/api/templates/_helpers.tpl': '{{- define "api.labels" -}}\napp: {{ .Release.Name }}\n{{- end }}\n',
    'charts/api/templates/NOTES.txt': 'Installed {{ .Release.Name }}.\n',
    'charts/api/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "api.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "api.labels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "api.labels" . | nindent 8 }}
    spec:
      containers:
        - name: api
          image: {{ .Values.image }}
          ports:
            - containerPort: {{ .Values.port }}
`,
    'charts/api/templates/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  selector:
    {{- include "api.labels" . | nindent 4 }}
  ports:
    - port: {{ .Values.port }}
`,
  });
  const initial = repo.commit('initial: web, shop, api');
  repo.git('tag', '-a', 'v1.0.0', '-m', 'first release');

  repo.write({
    'apps/web/deploy.yaml': `${deployment('web', 3)}---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  selector: {app: web}
  ports:
    - port: 80
`,
    'apps/web/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: web\ndata: {a: "1"}\n',
    'apps/shop/overlays/prod/kustomization.yaml': `namespace: shop-prod
labels:
  - pairs: {env: prod}
resources:
  - ../../base
replicas:
  - name: shop
    count: 5
`,
  });
  const second = repo.commit('web: 3 replicas, extra config; shop prod: 5 replicas');
  repo.git('tag', 'v1.1.0');

  repo.git('checkout', '-q', '-b', 'feature');
  repo.write({ 'apps/web/feature.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flag\n  namespace: web\ndata: {enabled: "true"}\n' });
  const feature = repo.commit('feature: a flag');
  repo.git('checkout', '-q', 'main');

  repo.write({ 'apps/web/config/cm.json': null, 'charts/api/values-prod.yaml': 'image: ghcr.io/example/api:1.1-prod\nport: 9090\n' });
  const third = repo.commit('web: drop config map; api: 1.1');

  // Uncommitted work: a modified file, an untracked file and an ignored one.
  repo.write({
    '.gitignore': 'apps/web/ignored.yaml\n',
    'apps/web/deploy.yaml': deployment('web', 4, 'nginx:1.28'),
    'apps/web/untracked.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: untracked\n  namespace: web\n',
    'apps/web/ignored.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ignored\n  namespace: web\n',
  });
  return Object.assign(repo, { commits: { initial, second, third, feature } });
}
