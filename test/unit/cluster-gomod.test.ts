import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateGoMod } from '../cluster/gen-gomod.js';
import { KUBERNETES_VERSION } from '../cluster/versions.js';

const releaseMod = `module k8s.io/kubernetes

go 1.25.0

require (
	go.etcd.io/etcd/server/v3 v3.6.5 // indirect
	k8s.io/api v0.0.0
)

replace (
${Array.from({ length: 25 }, (_, i) => `\tk8s.io/staging-${i} => ./staging/src/k8s.io/staging-${i}`).join('\n')}
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go
)
`;

describe('the control plane Go module', () => {
  it('maps every staging module of the release to its published v0.<minor>.<patch> tag', () => {
    const mod = generateGoMod('1.35.4', releaseMod);
    expect(mod).toContain('\tk8s.io/kubernetes v1.35.4\n');
    expect(mod).toContain('\tgo.etcd.io/etcd/server/v3 v3.6.5\n');
    expect(mod).toContain('\tk8s.io/api => k8s.io/api v0.35.4\n');
    expect(mod).toContain('\tk8s.io/client-go => k8s.io/client-go v0.35.4\n');
    expect(mod.match(/=> k8s\.io\/[\w-]+ v0\.35\.4/g)).toHaveLength(27);
    expect(mod).toMatch(/^go 1\.25\.0$/m);
  });

  it('refuses a go.mod that is not a Kubernetes release', () => {
    expect(() => generateGoMod('1.35.4', 'module example.com/x\n')).toThrow(/staging replaces/);
  });

  it('is committed for the pinned Kubernetes version (regenerate with gen-gomod.ts after changing versions.ts)', () => {
    const committed = readFileSync(new URL('../cluster/k8s/go.mod', import.meta.url), 'utf8');
    const [, minorPatch] = /^1\.(\d+\.\d+)$/.exec(KUBERNETES_VERSION) ?? [];
    expect(committed).toMatch(new RegExp(`^\\tk8s\\.io/kubernetes v${KUBERNETES_VERSION.replaceAll('.', '\\.')}$`, 'm'));
    const replaces = [...committed.matchAll(/^\t(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(replaces.length).toBeGreaterThanOrEqual(30);
    for (const [, from, to, version] of replaces) expect([to, version]).toEqual([from, `v0.${minorPatch}`]);
  });
});
