// The floors of core/ (DESIGN.md "Inside core: floors"), bottom to top, as data: each floor may
// import only the floors below it, floors on one level never import each other, and nothing in
// core/ is part of an import cycle — type-only imports included. `npm run lint` runs it after ESLint.

/** Bottom to top. A level lists its floors: folders of core/, or the files at its root. */
const LEVELS = [
  { base: ['core/model/', 'core/paths.ts', 'core/version.ts', 'core/secret-key.ts', 'core/disk-cache/'] },
  { kube: ['core/kube/'], git: ['core/git/'] },
  { manifest: ['core/manifest/'] },
  { source: ['core/source/'] },
  { render: ['core/render/'] },
  { plan: ['core/plan/'] },
  { history: ['core/history/'] },
  { watch: ['core/watch/'] },
  { apply: ['core/apply/'] },
  { engine: ['core/engine/'] },
  { api: ['core/api/'] },
  { server: ['core/server/'] },
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pattern = (paths) => `^(${paths.map((p) => escape(p) + (p.endsWith('/') ? '' : '$')).join('|')})`;
/** Tests may reach any floor: they put several together. */
const NOT_TESTS = '\\.test\\.ts$';

const floorRules = LEVELS.flatMap((level, i) =>
  Object.entries(level).flatMap(([name, paths]) => {
    const above = LEVELS.slice(i + 1).flatMap((l) => Object.values(l).flat());
    const beside = Object.entries(level).filter(([other]) => other !== name).flatMap(([, p]) => p);
    const allowed = LEVELS.slice(0, i).flatMap((l) => Object.keys(l));
    if (above.length + beside.length === 0) return []; // the top floor may import anything in core
    return {
      name: `floor-${name}`,
      comment: `core/${name} may import only the floors below it (${allowed.join(', ') || 'none'}): see DESIGN.md "Inside core: floors"`,
      severity: 'error',
      from: { path: pattern(paths), pathNot: NOT_TESTS },
      to: { path: pattern([...above, ...beside]) },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...floorRules,
    {
      name: 'no-cycle',
      comment: 'an import cycle in core/ (type-only imports count): move the shared piece down a floor',
      severity: 'error',
      from: { path: '^core/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^core/',
    doNotFollow: { path: 'node_modules' },
    // `import type` counts: a cycle of types is still a cycle of concepts.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
