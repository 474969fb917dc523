/** The workspace's inputs: the repository, app (or any folder), revision, context and plan options, with Plan and Apply. */
import type { OpenedRepository, RevisionList } from '../../../core/api/contract.js';
import { appChoices } from '../appChoices.js';
import type { ApplyGate } from '../applyGate.js';
import { ANOTHER_FOLDER_VALUE, selectionFromValue, selectionValue } from '../selection.js';
import { PLAN_SHORTCUT } from '../workspace/planShortcut.js';
import type { Selection } from '../workspace/useSelection.js';
import { useShortcuts } from '../workspace/useShortcuts.js';
import { ContextSwitcher } from './ContextSwitcher.js';
import { PlanOptions } from './PlanOptions.js';
import { RevisionPicker } from './RevisionPicker.js';

export function TopBar(props: {
  repo: OpenedRepository;
  revisions: RevisionList;
  selection: Selection;
  /** Why the typed folder cannot be planned (its check, or the engine's answer), or null. */
  folderProblem: string | null;
  planning: boolean;
  gate: ApplyGate;
  /** The Apply button's words: a danger button naming the count when the plan destroys objects. */
  applyButton?: { readonly label: string; readonly danger: boolean };
  onPlan: () => void;
  onApply: () => void;
  onCloseRepository: () => void;
}): React.JSX.Element {
  const { repo, selection: s } = props;
  // The keys of the two buttons; Apply's only opens the confirmation, as the button does.
  useShortcuts({ plan: props.onPlan, apply: () => props.gate.canApply && props.onApply() });
  return (
    <header className="topbar" aria-label="Plan inputs">
      <div className="field field-repo">
        <span className="field-label">Repository</span>
        <div className="field-row">
          <span className="repo-name" title={repo.dir} data-testid="repo-name">
            <span aria-hidden="true">▤</span> {repo.name}
          </span>
          <button type="button" className="btn small" data-testid="open-another-repo" title="Back to the start screen, to open another repository" onClick={props.onCloseRepository}>
            Open another…
          </button>
        </div>
      </div>
      <AppField selection={s} problem={props.folderProblem} onPlan={props.onPlan} />
      <div className="field field-revision">
        <span className="field-label">Revision</span>
        <RevisionPicker repoId={repo.id} initial={props.revisions} value={s.rev} onChange={s.setRev} />
      </div>
      <div className="field field-context">
        <span className="field-label">Context</span>
        <ContextSwitcher list={s.contexts.status === 'ready' ? s.contexts.value : null} value={s.context} onReload={s.reload} onChange={s.pick} />
      </div>
      <PlanOptions value={s.options} defaults={s.optionDefaults} onChange={s.setOptions} />
      <div className="topbar-actions">
        <button type="button" className="btn primary" data-testid="plan-button" disabled={!s.inputs || props.planning} onClick={props.onPlan} title={`Compute the plan (${PLAN_SHORTCUT})`}>
          {props.planning ? 'Planning…' : 'Plan'} <kbd className="wide-only">{PLAN_SHORTCUT}</kbd>
        </button>
        <button type="button" className={`btn apply${props.applyButton?.danger ? ' destroys' : ''}`} data-testid="apply-button" disabled={!props.gate.canApply} title={props.gate.reason} onClick={props.onApply}>
          {props.applyButton?.label ?? 'Apply…'}
        </button>
      </div>
    </header>
  );
}

/** The app picker, and the folder field its "Another folder…" choice reveals (Enter plans it). */
function AppField(props: { selection: Selection; problem: string | null; onPlan: () => void }): React.JSX.Element {
  const { apps, app, folderMode, folderText } = props.selection;
  const { problem } = props;
  const choices = apps.status === 'ready' ? appChoices(apps.value) : [];
  const value = folderMode ? ANOTHER_FOLDER_VALUE : app ? selectionValue(app) : '';
  return (
    <div className="field field-app">
      <span className="field-label" id="app-label">
        App
      </span>
      <div className="field-row">
        <select
          className="select"
          data-testid="app-selector"
          aria-labelledby="app-label"
          value={value}
          disabled={apps.status !== 'ready'}
          onChange={(e) => {
            const picked = selectionFromValue(e.target.value);
            props.selection.setFolderMode(e.target.value === ANOTHER_FOLDER_VALUE);
            if (picked) props.selection.setApp(picked);
          }}
        >
          {apps.status === 'loading' && <option value={value}>Loading…</option>}
          {apps.status === 'ready' && value === '' && (
            <option value="" disabled>
              {choices.length > 1 ? `Choose one of ${choices.length} apps…` : 'Choose an app…'}
            </option>
          )}
          {apps.status === 'failed' && <option value="">No apps (see the error)</option>}
          {choices.map((c) => {
            const v = selectionValue(c.selection);
            return (
              <option key={v} value={v}>
                {c.label}
              </option>
            );
          })}
          {apps.status === 'ready' && <option value={ANOTHER_FOLDER_VALUE}>Another folder…</option>}
        </select>
        {folderMode && (
          <input
            className="input app-path"
            data-testid="app-path"
            aria-label="Folder of the repository"
            aria-invalid={problem !== null}
            aria-describedby={problem ? 'app-path-problem' : undefined}
            placeholder="apps/web"
            title="Any folder of the repository, relative to its root (empty: the whole repository), planned as one app"
            list="app-paths"
            value={folderText}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => props.selection.setFolderText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return; // Ctrl/Cmd+Enter: the window's shortcut plans
              e.preventDefault();
              props.onPlan();
            }}
          />
        )}
      </div>
      {folderMode && problem && (
        <span className="field-problem" id="app-path-problem" role="alert" data-testid="app-path-problem">
          {problem}
        </span>
      )}
      {folderMode && apps.status === 'ready' && (
        <datalist id="app-paths">
          {[...new Set(apps.value.apps.map((a) => a.path).filter(Boolean))].map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      )}
    </div>
  );
}
