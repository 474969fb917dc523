/**
 * slipway render: prints what Slipway sees in a repository at a revision (the rendered objects,
 * or the diagnostics), so a user can check it before planning.
 */
import { hasErrors } from '../core/model/diagnostics.js';
import { renderApp } from '../core/render/render.js';
import { diagnosticsText, renderJson, renderedObjectsText } from '../core/render/view.js';
import { contextNamespace, loadKubeconfig } from '../core/kube/kubeconfig.js';
import { withOverrides } from '../core/source/apps.js';
import { resolveApp } from '../core/plan/child-apps.js';
import type { RenderFlags } from './commands/render.js';
import { openRepositoryArg, revisionLabel, selectionOf, treesCacheDir } from './common.js';

/**
 * The namespace a render uses for Helm's release and objects that name none, as plan would: -n,
 * the app's destination, else the namespace of the context (--context, else the current one) of
 * the kubeconfig — read only for that, and "default" when there is none to read.
 */
function renderNamespace(flags: RenderFlags): string {
  if (flags.namespace) return flags.namespace;
  try {
    const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
    const context = flags.context ?? kubeconfig.currentContext;
    return context ? contextNamespace(kubeconfig, context) : 'default';
  } catch (e) {
    if (flags.kubeconfig || flags.context) throw e; // asked for by name: say what is wrong with it
    return 'default';
  }
}

/** Renders the app (cli/commands/render.ts defines the flags). */
export async function runRender(flags: RenderFlags): Promise<void> {
  const repo = await openRepositoryArg(flags.repo);
  try {
    const revision = await repo.resolve(flags.rev);
    const selected = await resolveApp(repo, revision, selectionOf(flags), { cacheDir: treesCacheDir() });
    const app = withOverrides(selected.app, flags.namespace ? { namespace: flags.namespace } : {}, selected.app.destination.namespace ?? renderNamespace(flags));
    const appDiagnostics = selected.diagnostics;
    const result = await renderApp(repo, revision, app, { cacheDir: treesCacheDir() });
    const diagnostics = [...appDiagnostics.filter((d) => d.severity !== 'info' || flags.verbose), ...result.diagnostics];
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(renderJson(result, diagnostics), null, 2)}\n`);
    } else {
      process.stdout.write(renderedObjectsText(result));
      const shown = diagnostics.filter((d) => d.severity !== 'info' || flags.verbose);
      process.stderr.write(diagnosticsText(shown));
      const hidden = diagnostics.length - shown.length;
      process.stderr.write(
        `app ${app.name} (${result.sourceType}, ${app.path || '.'}) at ${revisionLabel(revision)}: ${result.objects.length} object${result.objects.length === 1 ? '' : 's'}` +
          `${hidden ? `, ${hidden} document${hidden === 1 ? '' : 's'} skipped (--verbose lists them)` : ''}\n`,
      );
    }
    if (hasErrors(diagnostics)) process.exitCode = 1;
  } finally {
    await repo.close?.();
  }
}
