/**
 * slipway render: prints what Slipway sees in a repository at a revision (the rendered objects,
 * or the diagnostics), so a user can check it before planning.
 */
import type { Command } from 'commander';
import { hasErrors } from '../core/model/diagnostics.js';
import { renderApp } from '../core/render/render.js';
import { diagnosticsText, renderJson, renderedObjectsText } from '../core/render/view.js';
import { selectApp } from '../core/source/load.js';
import { addAppOptions, openRepositoryArg, revisionLabel, selectionOf, treesCacheDir, type AppFlags } from './common.js';

interface RenderFlags extends AppFlags {
  json?: boolean;
  verbose?: boolean;
}

export function registerRender(program: Command): void {
  addAppOptions(program
    .command('render')
    .description('print the objects an app renders to at a revision (Secret values hidden), or what is wrong with them'))
    .option('--json', 'print JSON for scripts')
    .option('--verbose', 'also list informational diagnostics (skipped documents)')
    .action(async (flags: RenderFlags) => {
      const repo = await openRepositoryArg(flags.repo);
      try {
        const revision = await repo.resolve(flags.rev);
        const { app, diagnostics: appDiagnostics } = await selectApp(repo, revision, selectionOf(flags));
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
    });
}
