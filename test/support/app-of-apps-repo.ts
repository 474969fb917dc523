/**
 * A repository in the layout of Argo CD's example repository (argoproj/argocd-example-apps) with
 * its cluster-bootstrapping "app of apps": an `apps` Helm chart whose templates render two
 * Applications (a plain folder `guestbook/` and a chart `helm-guestbook/` with a values file), an
 * ApplicationSet with a list generator (`envs/dev`, `envs/prod`) and an AppProject; and the root
 * Application `apps` that points at the chart, as `argocd app create apps --path apps` would.
 * The `guestbook` child carries hook Jobs as Argo CD's `pre-post-sync` example does: a PreSync
 * schema upgrade with generateName and a PostSync notification, both deleted when they succeed.
 * Namespaces start with `prefix`, so each test run has its own.
 */
import { createTestRepo, type TestRepo } from './git-repo.js';

export const APP_OF_APPS_REPO_URL = 'https://github.com/example/app-of-apps.git';

const deployment = (name: string, replicas: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
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
          image: gcr.io/heptio-images/ks-guestbook-demo:0.2
          ports:
            - containerPort: 80
`;

const service = (name: string): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  ports:
    - port: 80
      targetPort: 80
  selector:
    app: ${name}
`;

/** A hook Job of Argo CD's `pre-post-sync` example, deleted when it succeeds; on the test cluster kwok completes its Pod. */
const hookJob = (phase: 'PreSync' | 'PostSync', metadata: string): string => `apiVersion: batch/v1
kind: Job
metadata:
  ${metadata}
  annotations:
    argocd.argoproj.io/hook: ${phase}
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.37
          command: ['true']
`;

/** The files of the repository; `prefix` starts every namespace. */
export function appOfAppsFiles(prefix: string): Record<string, string> {
  const application = (name: string, path: string, extra = ''): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: {{ .Values.project }}
  source:
    repoURL: {{ .Values.spec.source.repoURL }}
    targetRevision: {{ .Values.spec.source.targetRevision }}
    path: ${path}
${extra}  destination:
    server: {{ .Values.spec.destination.server }}
    namespace: {{ .Values.namespacePrefix }}${name}
  syncPolicy:
    automated:
      prune: true
    syncOptions:
      - CreateNamespace=true
`;
  return {
    'README.md': '# app of apps\n',
    'bootstrap/apps.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: apps
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${APP_OF_APPS_REPO_URL}
    targetRevision: HEAD
    path: apps
  destination:
    server: https://kubernetes.default.svc
    namespace: default
`,
    'apps/Chart.yaml': 'apiVersion: v2\nname: applications\ndescription: Applications\ntype: application\nversion: 0.1.0\n',
    'apps/values.yaml': `project: ${prefix}project
namespacePrefix: ${prefix}
spec:
  destination:
    server: https://kubernetes.default.svc
  source:
    repoURL: ${APP_OF_APPS_REPO_URL}
    targetRevision: HEAD
`,
    'apps/templates/guestbook.yaml': application('guestbook', 'guestbook'),
    'apps/templates/helm-guestbook.yaml': application('helm-guestbook', 'helm-guestbook', '    helm:\n      valueFiles:\n        - values-production.yaml\n'),
    // ApplicationSet parameters are escaped from Helm, as Argo CD's docs show for charts.
    'apps/templates/envs.yaml': `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - env: dev
          - env: prod
  template:
    metadata:
      name: 'env-{{ "{{env}}" }}'
    spec:
      project: {{ .Values.project }}
      source:
        repoURL: {{ .Values.spec.source.repoURL }}
        targetRevision: HEAD
        path: 'envs/{{ "{{env}}" }}'
      destination:
        server: {{ .Values.spec.destination.server }}
        namespace: '{{ .Values.namespacePrefix }}env-{{ "{{env}}" }}'
      syncPolicy:
        syncOptions: [CreateNamespace=true]
`,
    'apps/templates/project.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: {{ .Values.project }}
  namespace: argocd
spec:
  sourceRepos: ['*']
  destinations:
    - namespace: '*'
      server: https://kubernetes.default.svc
`,
    'guestbook/guestbook-ui-deployment.yaml': deployment('guestbook-ui', '1'),
    'guestbook/guestbook-ui-svc.yaml': service('guestbook-ui'),
    'guestbook/upgrade-sql-schema.yaml': hookJob('PreSync', 'generateName: upgrade-sql-schema-'),
    'guestbook/slack-notification.yaml': hookJob('PostSync', 'name: slack-notification'),
    'helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\nappVersion: "1.0"\n',
    'helm-guestbook/values.yaml': 'replicaCount: 1\n',
    'helm-guestbook/values-production.yaml': 'replicaCount: 2\n',
    'helm-guestbook/templates/deployment.yaml': deployment('{{ .Release.Name }}', '{{ .Values.replicaCount }}'),
    'helm-guestbook/templates/service.yaml': service('{{ .Release.Name }}'),
    'envs/dev/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  env: dev\n',
    'envs/prod/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  env: prod\n',
  };
}

export function createAppOfAppsRepo(prefix: string): TestRepo {
  const repo = createTestRepo({ prefix: 'slipway-app-of-apps-' });
  repo.write(appOfAppsFiles(prefix));
  repo.commit('app of apps, as argocd-example-apps lays it out');
  return repo;
}
