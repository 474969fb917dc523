/**
 * The sample GitOps repository of `npm run demo` and `npm run screenshots` (and their tests): one
 * web app, "storefront" (podinfo behind a Service, its ConfigMap and a Secret), as a kustomize
 * base with a prod overlay, listed in a slipway.yaml, built commit by commit with fixed authors
 * and dates so its commit ids are the same on every machine:
 *
 * | tag    | commit                                                        | what a plan of it shows                  |
 * |--------|---------------------------------------------------------------|------------------------------------------|
 * | v1.0.0 | storefront: first release                                     | Namespace, Service, Deployment (2 replicas) |
 * | v1.1.0 | storefront: configuration, database credentials and migration | + ConfigMap and Secret, which the Deployment reads; and two Argo CD hooks, no changes but run by each apply: a database migration Job (PreSync, BeforeHookCreation) and a smoke test Job (PostSync, HookSucceeded) |
 * | v1.2.0 | prod: scale storefront to 4 replicas for the spring sale       | the Deployment's replicas 2 → 4          |
 * | v2.0.0 | storefront 2.0.0 (the bad release)                            | a new image and a CPU request of "250" instead of "250m": |
 * | v2.1.0 | storefront 2.1.0: stateless, without its database              | the new image at 250m; the ConfigMap, the Secret and the hooks go: with prune, a plan that deletes 2 objects |
 *
 * the bad release plans and applies cleanly, but no Node has 250 CPUs, so its new Pods stay
 * Pending, the Deployment passes its progress deadline (20 s) and the apply fails on it (its
 * PostSync smoke test never runs) — the moment to open History and roll back to v1.2.0.
 *
 * The migration hook runs before the app's objects, so on the first apply the Secret it reads is
 * not there yet: it reads it as optional (see migrate-job.yaml).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DEMO_APP = 'storefront';
export const DEMO_NAMESPACE = 'storefront';
/** The bad release's CPU request: 250 CPUs where 250m was meant. */
export const BAD_CPU_REQUEST = '250';
/** How long the Deployment may go without progress before Kubernetes (and so Slipway) calls it failed. */
export const PROGRESS_DEADLINE_SECONDS = 20;

export interface DemoRelease {
  readonly tag: string;
  readonly subject: string;
  readonly image: string;
  readonly replicas: number;
  readonly cpu: string;
  /** Has the ConfigMap, the Secret and the hooks (the PreSync migration Job and the PostSync smoke test). */
  readonly configured: boolean;
}

/** The releases, oldest first: one commit and one annotated tag each. */
export const DEMO_RELEASES: readonly DemoRelease[] = [
  { tag: 'v1.0.0', subject: 'storefront: first release', image: 'ghcr.io/stefanprodan/podinfo:6.7.0', replicas: 2, cpu: '100m', configured: false },
  { tag: 'v1.1.0', subject: 'storefront: configuration, database credentials and migration', image: 'ghcr.io/stefanprodan/podinfo:6.7.0', replicas: 2, cpu: '100m', configured: true },
  { tag: 'v1.2.0', subject: 'prod: scale storefront to 4 replicas for the spring sale', image: 'ghcr.io/stefanprodan/podinfo:6.7.0', replicas: 4, cpu: '100m', configured: true },
  { tag: 'v2.0.0', subject: 'storefront 2.0.0: podinfo 6.8.0, CPU request 250m', image: 'ghcr.io/stefanprodan/podinfo:6.8.0', replicas: 4, cpu: BAD_CPU_REQUEST, configured: true },
  // No configuration any more: prune deletes the ConfigMap and the Secret (the demo's destroy plan).
  { tag: 'v2.1.0', subject: 'storefront 2.1.0: stateless, podinfo 6.8.0 at 250m CPU; the database settings and migration go', image: 'ghcr.io/stefanprodan/podinfo:6.8.0', replicas: 4, cpu: '250m', configured: false },
];

/** Author dates of the commits (UTC), so commit ids are stable. */
const DATES = ['2026-03-02T09:14:00Z', '2026-03-09T15:41:00Z', '2026-03-16T10:05:00Z', '2026-03-18T16:52:00Z', '2026-03-23T11:20:00Z'];
const AUTHORS = [
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
  { name: 'Ada Lovelace', email: 'ada@example.com' },
  { name: 'Linus Pauling', email: 'linus@example.com' },
  { name: 'Grace Hopper', email: 'grace@example.com' },
];

export interface DemoRepo {
  readonly dir: string;
  readonly app: string;
  readonly namespace: string;
  /** Commit id by tag. */
  readonly commits: Readonly<Record<string, string>>;
}

export interface DemoRepoOptions {
  /** The repository folder: created, or emptied and built again when it holds an earlier demo repository. */
  readonly dir: string;
  /** The namespace the app deploys to (tests use their own). */
  readonly namespace?: string;
}

/** A file in .git that marks a folder as ours, so building again may delete it. */
const MARKER = join('.git', 'slipway-demo');

function files(release: DemoRelease, namespace: string): Record<string, string> {
  const env = release.configured
    ? `
          envFrom:
            - configMapRef:
                name: storefront-config
            - secretRef:
                name: storefront-db`
    : '';
  return {
    'README.md': `# storefront-gitops

The deployment repository of the storefront, a sample for Slipway (\`npm run demo\`).
\`apps/storefront/base\` is the app; \`apps/storefront/overlays/prod\` is what runs in production,
in namespace \`${namespace}\`. \`slipway.yaml\` lists the app.
`,
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: ${DEMO_APP}
    path: apps/storefront/overlays/prod
    destination:
      namespace: ${namespace}
    options:
      prune: true
`,
    'apps/storefront/base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml${release.configured ? '\n  - configmap.yaml\n  - migrate-job.yaml\n  - smoke-test-job.yaml' : ''}
`,
    'apps/storefront/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  labels:
    app.kubernetes.io/name: storefront
spec:
  replicas: 1
  # Call a rollout that makes no progress for this long failed (and stop waiting for it).
  progressDeadlineSeconds: ${PROGRESS_DEADLINE_SECONDS}
  selector:
    matchLabels:
      app.kubernetes.io/name: storefront
  template:
    metadata:
      labels:
        app.kubernetes.io/name: storefront
    spec:
      containers:
        - name: web
          image: ${release.image}
          ports:
            - name: http
              containerPort: 9898${env}
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
          resources:
            requests:
              cpu: ${/^\d+$/.test(release.cpu) ? `"${release.cpu}"` : release.cpu}
              memory: 64Mi
            limits:
              memory: 128Mi
`,
    'apps/storefront/base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: storefront
  labels:
    app.kubernetes.io/name: storefront
spec:
  selector:
    app.kubernetes.io/name: storefront
  ports:
    - name: http
      port: 80
      targetPort: http
`,
    ...(release.configured && {
      'apps/storefront/base/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: storefront-config
  labels:
    app.kubernetes.io/name: storefront
data:
  PODINFO_UI_MESSAGE: Welcome to the storefront
  PODINFO_UI_COLOR: "#2f6f9f"
  PODINFO_LEVEL: info
`,
      'apps/storefront/base/migrate-job.yaml': `# An Argo CD PreSync hook: the database schema is migrated before anything of the app is
# applied, so the new version never starts on an old schema; run again on each apply (the one
# before is deleted first). A fixed name: kustomize refuses generateName.
apiVersion: batch/v1
kind: Job
metadata:
  name: storefront-db-migrate
  labels:
    app.kubernetes.io/name: storefront
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: docker.io/migrate/migrate:v4.18.1
          args: ["-path=/migrations", "-database=$(DATABASE_URL)", "up"]
          envFrom:
            # PreSync runs before the app's objects, so on the first apply this Secret is not
            # there yet: optional lets the Job start without it (with Argo CD, make the Secret a
            # PreSync hook of an earlier wave, or keep it outside the app).
            - secretRef:
                name: storefront-db
                optional: true
`,
      'apps/storefront/base/smoke-test-job.yaml': `# An Argo CD PostSync hook: once every object of the app is applied and healthy, ask the
# storefront whether it is ready; deleted when it succeeds (a failed one stays for a look).
apiVersion: batch/v1
kind: Job
metadata:
  name: storefront-smoke-test
  labels:
    app.kubernetes.io/name: storefront
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: smoke-test
          image: docker.io/curlimages/curl:8.11.1
          args: ["--fail", "--silent", "--show-error", "--retry", "5", "http://storefront/readyz"]
`,
      'apps/storefront/overlays/prod/secret.yaml': `# A sample only: keep real credentials out of Git (sealed or external secrets).
apiVersion: v1
kind: Secret
metadata:
  name: storefront-db
  labels:
    app.kubernetes.io/name: storefront
type: Opaque
stringData:
  DATABASE_URL: postgres://storefront@db.internal:5432/storefront
  DATABASE_PASSWORD: correct-horse-battery-staple
`,
    }),
    'apps/storefront/overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
  - namespace.yaml
  - ../../base${release.configured ? '\n  - secret.yaml' : ''}
patches:
  - path: replicas.yaml
`,
    'apps/storefront/overlays/prod/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
`,
    'apps/storefront/overlays/prod/replicas.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
spec:
  replicas: ${release.replicas}
`,
  };
}

/** Builds the repository from scratch in `opts.dir` (deleting an earlier demo repository there, never anything else). */
export function buildDemoRepo(opts: DemoRepoOptions): DemoRepo {
  const { dir } = opts;
  const namespace = opts.namespace ?? DEMO_NAMESPACE;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) throw new Error(`${dir} exists and is not a Slipway demo repository: not touching it (remove it, or pick another folder)`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  let env: NodeJS.ProcessEnv = {};
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env } }).trim();
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, MARKER), 'built by test/demo/sample-repo.ts: `npm run demo` deletes and rebuilds this repository\n');
  const commits: Record<string, string> = {};
  DEMO_RELEASES.forEach((release, i) => {
    const author = AUTHORS[i]!;
    const date = DATES[i]!;
    env = { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    const wanted = files(release, namespace);
    for (const old of i > 0 ? Object.keys(files(DEMO_RELEASES[i - 1]!, namespace)) : []) if (!(old in wanted)) rmSync(join(dir, old), { force: true });
    for (const [path, content] of Object.entries(wanted)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', release.subject);
    git('tag', '-a', release.tag, '-m', `storefront ${release.tag.slice(1)}`);
    commits[release.tag] = git('rev-parse', 'HEAD');
  });
  return { dir, app: DEMO_APP, namespace, commits };
}
