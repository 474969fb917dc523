/**
 * The bad-input corpus (test/fixtures/bad/, one folder per case: README.md says what it is,
 * repo/ is the repository, diagnostics.golden what Slipway says about it) through the CLI against
 * the real cluster: `slipway render` and `slipway plan` name the file and line (or the resource)
 * and the reason, never crash, exit 1, and `slipway apply --auto-approve` refuses too, so nothing
 * reaches the cluster. Inputs too big or too odd to commit (10 MiB, 5000 levels deep, binary,
 * symlinks out of the repository) are generated into the case's repository by the test.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { expectGolden } from '../support/golden.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const root = new URL('../..', import.meta.url).pathname;
const corpus = new URL('../fixtures/bad/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-bad-it-'));
const repos: TestRepo[] = [];

type Exit = 0 | 1;
interface Case {
  /** Folder under test/fixtures/bad. */
  readonly name: string;
  /** How the app is picked. */
  readonly app: readonly string[];
  /** render needs no cluster: what only the cluster can tell (an unknown kind, a schema error) renders fine. */
  readonly renderExit: Exit;
  /**
   * refused: plan exits 1 and apply refuses. warned: a warning, the plan goes on (as kubectl
   * would: a cluster-scoped object's namespace is dropped); apply is not run.
   */
  readonly outcome: 'refused' | 'warned';
  /** kubectl get arguments of what must not exist afterwards. */
  readonly absent: readonly (readonly string[])[];
  /** Files made by the test in the case's repository. */
  readonly generate?: (repo: TestRepo) => void;
}

const ns = (name: string): string[] => ['namespace', `slipway-bad-${name}`];
const configMap = (name: string, ns: string, body: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${body}`;

const CASES: readonly Case[] = [
  { name: 'invalid-yaml', app: ['--path', 'app'], renderExit: 1, outcome: 'refused', absent: [ns('invalid-yaml')] },
  { name: 'duplicate-objects', app: ['--path', 'app'], renderExit: 1, outcome: 'refused', absent: [ns('duplicate-objects')] },
  { name: 'duplicate-keys', app: ['--path', 'app'], renderExit: 1, outcome: 'refused', absent: [ns('duplicate-keys')] },
  { name: 'missing-fields', app: ['--path', 'app'], renderExit: 1, outcome: 'refused', absent: [ns('missing-fields')] },
  { name: 'wrong-types', app: ['--path', 'app'], renderExit: 1, outcome: 'refused', absent: [ns('wrong-types')] },
  { name: 'server-rejects', app: ['--path', 'app'], renderExit: 0, outcome: 'refused', absent: [['deployment', 'slipway-bad-server-rejects', '-n', 'default']] },
  { name: 'cluster-scoped-namespace', app: ['--path', 'app'], renderExit: 0, outcome: 'warned', absent: [ns('cluster-scoped-namespace'), ['clusterrole', 'slipway-bad-cluster-scoped-namespace']] },
  { name: 'unknown-kind', app: ['--path', 'app'], renderExit: 0, outcome: 'refused', absent: [ns('unknown-kind')] },
  {
    name: 'huge-file',
    app: ['--path', 'app'],
    renderExit: 1,
    outcome: 'refused',
    absent: [ns('huge-file')],
    generate: (repo) => {
      const line = (i: number): string => `  key${String(i).padStart(6, '0')}: ${'x'.repeat(100)}\n`;
      const lines = Array.from({ length: Math.ceil((10 * 1024 * 1024) / line(0).length) }, (_, i) => line(i));
      repo.write({ 'app/dump.yaml': configMap('dump', 'slipway-bad-huge-file', `data:\n${lines.join('')}`) });
    },
  },
  {
    name: 'deep-nesting',
    app: ['--path', 'app'],
    renderExit: 1,
    outcome: 'refused',
    absent: [ns('deep-nesting')],
    generate: (repo) => {
      const depth = 5000;
      const block = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('');
      repo.write({
        'app/deep-flow.yaml': configMap('deep-flow', 'slipway-bad-deep-nesting', `data:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
        'app/deep-block.yaml': configMap('deep-block', 'slipway-bad-deep-nesting', `spec:\n${block}${' '.repeat(1001)}leaf: 1\n`),
      });
    },
  },
  {
    name: 'binary-file',
    app: ['--path', 'app'],
    renderExit: 1,
    outcome: 'refused',
    absent: [ns('binary-file')],
    generate: (repo) => repo.write({ 'app/logo.yaml': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]) }),
  },
  {
    name: 'symlink-escape',
    app: ['--path', 'app'],
    renderExit: 1,
    outcome: 'refused',
    absent: [ns('symlink-escape')],
    generate: (repo) => {
      repo.symlink('app/hostname.yaml', '/etc/hostname');
      repo.symlink('app/up.yaml', '../../../../../../etc/hostname');
      // A folder link out of the repository: never descended into (it holds no manifest Slipway reads).
      repo.symlink('app/etc', '/etc');
    },
  },
  {
    name: 'symlinked-app-folder',
    app: ['--path', 'app'],
    renderExit: 1,
    outcome: 'refused',
    absent: [ns('symlinked-app-folder')],
    // Git does not follow a symlink inside a tree, and neither does Slipway: the app folder must be the real one.
    generate: (repo) => repo.symlink('app', 'real'),
  },
  { name: 'kustomize-cycle', app: ['--app', 'cycle'], renderExit: 1, outcome: 'refused', absent: [ns('kustomize-cycle')] },
  { name: 'helm-template-error', app: ['--app', 'broken-chart'], renderExit: 1, outcome: 'refused', absent: [ns('helm-template-error')] },
];

/** The CLI with kustomize and helm on PATH, its caches and history in this test's folder. */
function slipway(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      PATH: [dirname(tools.kustomize), dirname(tools.helm), process.env.PATH ?? ''].join(delimiter),
      SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'),
      SLIPWAY_HISTORY: join(tmp, 'history.db'),
      NO_COLOR: '1',
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What a crash looks like: a stack frame, or an error that is not one of Slipway's own. */
const CRASH = /^\s+at .+[:(]\d+:\d+\)?$|^slipway: (?!error: )|Maximum call stack/m;

/** The lines that say what is wrong: diagnostics and errors, without object bodies, times, oids or temporary paths. */
function diagnosticLines(text: string, repoDir: string): string[] {
  const lines = text.split(repoDir).join('<repo>').split('\n');
  const header = /^(Slipway plan | {2}(app|repo|revision|cluster|applyset|created) )/;
  const summary = /^app \S+ \(\w+, [^)]*\) at /;
  return lines.filter((l) => l.trim() !== '' && !header.test(l) && !summary.test(l) && !/^\s+[+-]/.test(l) && !/^Actions are shown|^Slipway will perform/.test(l));
}

function buildRepo(c: Case): TestRepo {
  const repo = createTestRepo({ prefix: `slipway-bad-${c.name}-` });
  repos.push(repo);
  cpSync(join(corpus, c.name, 'repo'), repo.dir, { recursive: true });
  c.generate?.(repo);
  repo.commit(c.name);
  return repo;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
});

afterAll(() => {
  for (const r of repos) r.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the bad-input corpus', () => {
  it('has a README line and a repository for every case, and every folder is a case', () => {
    const folders = readdirSync(corpus).sort();
    expect(folders).toEqual(CASES.map((c) => c.name).sort());
    for (const f of folders) {
      expect(existsSync(join(corpus, f, 'README.md')), f).toBe(true);
      expect(existsSync(join(corpus, f, 'repo')), f).toBe(true);
    }
  });
});

describe.each(CASES)('$name', (c) => {
  let repo: TestRepo;
  const common = (): string[] => ['--repo', repo.dir, ...c.app];
  const cluster = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath];
  beforeAll(() => {
    repo = buildRepo(c);
  });

  it('render and plan say what is wrong and where (golden), without crashing, with the expected exit codes', () => {
    const render = slipway(['render', ...common()]);
    const plan = slipway(['plan', ...common(), ...cluster]);
    const report = [
      `$ slipway render (exit ${render.status})`,
      ...diagnosticLines(render.stderr, repo.dir),
      `$ slipway plan (exit ${plan.status})`,
      ...diagnosticLines(plan.stdout, repo.dir),
      ...diagnosticLines(plan.stderr, repo.dir),
    ].join('\n');
    expectGolden(join(corpus, c.name, 'diagnostics.golden'), `${report}\n`);
    for (const [what, r] of [['render', render], ['plan', plan]] as const) expect(r.stderr, `${what} crashed`).not.toMatch(CRASH);
    expect(render.status, render.stderr).toBe(c.renderExit);
    expect(plan.status, plan.stdout + plan.stderr).toBe(c.outcome === 'refused' ? 1 : 0);
    // The plan says what it is about: an error or warning line, never silence.
    expect(report).toMatch(c.outcome === 'refused' ? /error/ : /warning/);
  });

  if (c.outcome === 'refused') {
    it('apply --auto-approve refuses, from flags and from a saved plan', () => {
      const out = join(tmp, `${c.name}.plan.json`);
      const apply = slipway(['apply', ...common(), ...cluster, '--auto-approve']);
      expect(apply.status, apply.stdout + apply.stderr).toBe(1);
      expect(apply.stderr).not.toMatch(CRASH);
      expect(apply.stderr).toMatch(/nothing was applied|^slipway: error: /m);
      // A saved plan with errors is refused as well (when there is a plan at all: a failed render makes none).
      const saved = slipway(['plan', ...common(), ...cluster, '--out', out]);
      expect(saved.status).toBe(1);
      if (existsSync(out)) {
        const fromFile = slipway(['apply', out, '--auto-approve']);
        expect(fromFile.status, fromFile.stderr).toBe(1);
        expect(fromFile.stderr).toContain('nothing was applied');
      } else {
        expect(saved.stderr).toMatch(/^slipway: error: /m);
      }
    });
  }

  it('leaves the cluster as it was', () => {
    for (const args of c.absent) {
      const r = kubectl.result(['get', ...args, '--ignore-not-found', '-o', 'name']);
      expect([r.status, r.stdout.trim()], `${args.join(' ')}: ${r.stderr}`).toEqual([0, '']);
    }
  });
});
