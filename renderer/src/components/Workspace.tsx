/**
 * The Workspace screen: open a repository, then pick an app, a revision and a context, plan
 * (button or Ctrl/Cmd+Enter), review the plan, apply it (confirmation, then live progress), and
 * browse the History, from which a rollback or revert opens as a plan preview to apply like any
 * other. All engine calls go through the injected HostApi; this component does not know which
 * transport carries them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppList, ContextList, EngineEvent, OpenedRepository, Plan, RevisionList, RunSummary, Startup } from '../../../core/api/contract.js';
import { appChoices } from '../appChoices.js';
import { checkFolderPath } from '../folderPath.js';
import { applyGate } from '../applyGate.js';
import { errorInfo, useHost } from '../host.js';
import { namespaceProblem, PlanOptions, type PlanOptionsDefaults, type PlanOptionsValue } from './PlanOptions.js';
import { ApplyDialog } from './ApplyDialog.js';
import { ApplyProgressView } from './ApplyProgressView.js';
import { ContextSwitcher } from './ContextSwitcher.js';
import { ErrorMessage } from './Errors.js';
import { PlanView } from './PlanView.js';
import { HistoryView, type PreviewKind } from './HistoryView.js';
import { defaultRevision, pickCommit, pickRef, RevisionPicker, type PickedRevision } from './RevisionPicker.js';
import { useSettings } from './Settings.js';

type Loadable<T> = { readonly status: 'idle' } | { readonly status: 'loading' } | { readonly status: 'ready'; readonly value: T } | { readonly status: 'failed'; readonly error: unknown };

/** What a plan was asked for; a plan whose inputs differ from the current choice is stale. */
interface PlanInputs {
  readonly repoId: string;
  readonly rev: string;
  readonly app: string;
  readonly context: string;
  /** The namespace typed for this plan ("" = the app's or the context's). */
  readonly namespace: string;
  readonly prune: boolean;
  readonly createNamespace: boolean;
  /** Take over the app's ApplySet from another recorded owner (asked for from the plan's diagnostics). */
  readonly adopt: boolean;
  /** For display only. */
  readonly revLabel: string;
}
/** The plan request's options for these inputs: prune and createNamespace as the toggles show them. */
function planOptionsRequest(i: PlanInputs): { namespace?: string; prune: boolean; createNamespace: boolean; adopt?: true } {
  return { ...(i.namespace !== '' && { namespace: i.namespace }), prune: i.prune, createNamespace: i.createNamespace, ...(i.adopt && { adopt: true }) };
}

/** A plan made from a run in History (a rollback or revert preview) rather than from the pickers. */
interface PlanOrigin {
  readonly kind: PreviewKind;
  readonly run: RunSummary;
}
const ORIGIN_TEXT: Readonly<Record<PreviewKind, string>> = { rollback: 'rollback', revert: 'revert' };

const sameInputs = (a: PlanInputs, b: PlanInputs | null): boolean =>
  b !== null && a.repoId === b.repoId && a.rev === b.rev && a.app === b.app && a.context === b.context && a.namespace === b.namespace && a.prune === b.prune && a.createNamespace === b.createNamespace;

/** The app selector's choice that reveals a field for any folder of the repository. */
const FOLDER_CHOICE = 'folder:';
/** Engine errors about the folder itself (core/git `path-not-found`, core/source `invalid-app-path`). */
const FOLDER_ERRORS: Readonly<Record<string, (folder: string, rev: string) => string>> = {
  'path-not-found': (folder, rev) => `There is no folder ${folder} at ${rev}`,
  'invalid-app-path': (folder) => `The folder ${folder} cannot be used`,
};

/** A Performance API mark set when a plan result reaches the page. */
export const PLAN_RECEIVED_MARK = 'slipway:plan-received';

const RECENT_KEY = 'slipway.recentRepositories';
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const PLAN_SHORTCUT = isMac ? '⌘↵' : 'Ctrl+Enter';

function recentRepositories(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 6) : [];
  } catch {
    return [];
  }
}

function rememberRepository(dir: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([dir, ...recentRepositories().filter((d) => d !== dir)].slice(0, 6)));
  } catch {
    // storage unavailable: nothing to remember
  }
}

/** The revision a startup `rev` names, as git would read it: the working copy, a tag, a branch, a commit of the first page; else passed to the engine as it is. */
export function startupRevision(list: RevisionList, rev: string): PickedRevision {
  if (list.workingCopy && rev === list.workingCopy.rev) return { rev, kind: 'working-copy', label: 'Working copy', ...(list.workingCopy.head && { oid: list.workingCopy.head }) };
  const ref = [...list.tags, ...list.branches, ...list.remoteBranches].find((r) => r.name === rev || r.fullName === rev);
  if (ref) return pickRef(ref);
  const commit = rev.length >= 4 ? list.commits.find((c) => c.oid.startsWith(rev.toLowerCase())) : undefined;
  return commit ? pickCommit(commit) : { rev, kind: 'commit', label: rev };
}

export function Workspace(): React.JSX.Element {
  const host = useHost();
  const [repo, setRepo] = useState<OpenedRepository | null>(null);
  const [revisions, setRevisions] = useState<RevisionList | null>(null);
  const [rev, setRev] = useState<PickedRevision | null>(null);
  const [apps, setApps] = useState<Loadable<AppList>>({ status: 'idle' });
  const [app, setApp] = useState<string | null>(null);
  /** "Another folder…": the folder typed instead of an app of the list (kept while another app is picked). */
  const [folderMode, setFolderMode] = useState(false);
  const [folderText, setFolderText] = useState('');
  const [contexts, setContexts] = useState<Loadable<ContextList>>({ status: 'loading' });
  const [context, setContext] = useState<string | null>(null);
  const [options, setOptions] = useState<PlanOptionsValue>({ namespace: '', prune: false, createNamespace: false });
  const contextPicked = useRef(false);
  const [planRun, setPlanRun] = useState<Loadable<Plan>>({ status: 'idle' });
  const [plan, setPlan] = useState<{ plan: Plan; inputs: PlanInputs; origin?: PlanOrigin } | null>(null);
  const [view, setView] = useState<'plan' | 'history'>('plan');
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState<{ runId: string; plan: Plan; startedAt: number } | null>(null);
  const [events, setEvents] = useState<readonly EngineEvent[]>([]);
  const [historyKey, setHistoryKey] = useState(0);
  /** Plans already sent to apply: applying one twice is refused by the engine anyway (stale), so say it here. */
  const [appliedPlans, setAppliedPlans] = useState<ReadonlySet<string>>(() => new Set());
  const { version: settingsVersion } = useSettings();
  /** What the front door was started with: opened once, before the start screen shows; a repository that fails to open lands on the start screen with the error. */
  const [startup, setStartup] = useState<{ readonly status: 'pending' } | { readonly status: 'done'; readonly failed?: { readonly path: string; readonly error: unknown } }>({ status: 'pending' });

  // Engine events (apply progress) for every run, from now on; a view picks its run's.
  useEffect(
    () =>
      host.onEvent((e) => {
        setEvents((list) => [...list.slice(-5000), e]);
        if (e.type === 'apply-finished') setHistoryKey((k) => k + 1);
      }),
    [host],
  );
  const [runningInputs, setRunningInputs] = useState<PlanInputs | null>(null);
  const planGeneration = useRef(0);

  // Contexts do not depend on the repository: load them once (and on Reload).
  const loadContexts = useCallback(() => {
    setContexts({ status: 'loading' });
    host.listContexts().then(
      (list) => {
        setContexts({ status: 'ready', value: list });
        setContext((c) => (c && list.contexts.some((x) => x.name === c) ? c : (list.currentContext ?? list.contexts[0]?.name ?? null)));
      },
      (error: unknown) => setContexts({ status: 'failed', error }),
    );
  }, [host]);
  // Settings name the kubeconfig and the protected contexts: read the contexts again when they change.
  useEffect(loadContexts, [loadContexts, settingsVersion]);

  const opened = useCallback((r: OpenedRepository, list: RevisionList) => {
    rememberRepository(r.dir);
    setRepo(r);
    setRevisions(list);
    setRev(defaultRevision(list));
    setPlan(null);
    setPlanRun({ status: 'idle' });
  }, []);

  useEffect(() => {
    let live = true;
    const start = async (s: Startup): Promise<void> => {
      if (s.context) {
        contextPicked.current = true;
        setContext(s.context);
      }
      if (!s.repository) return;
      const path = s.repository;
      try {
        const r = await host.openRepository({ path });
        const list = await host.listRevisions({ repoId: r.id });
        if (!live) return;
        opened(r, list);
        if (s.rev) setRev(startupRevision(list, s.rev));
        if (s.app) setApp(`app:${s.app}`);
      } catch (error) {
        if (live) setStartup({ status: 'done', failed: { path, error } });
      }
    };
    host
      .getStartup()
      .then(start, () => undefined) // an engine that cannot answer: the start screen and status bar say so
      .finally(() => live && setStartup((st) => (st.status === 'pending' ? { status: 'done' } : st)));
    return () => {
      live = false;
    };
  }, [host, opened]);

  // The apps of the chosen revision; keep the chosen app when it still exists.
  useEffect(() => {
    if (!repo || !rev) return;
    let live = true;
    setApps({ status: 'loading' });
    host.listApps({ repoId: repo.id, rev: rev.rev }).then(
      (list) => {
        if (!live) return;
        setApps({ status: 'ready', value: list });
        const choices = appChoices(list);
        setApp((current) => (current && choices.some((c) => c.value === current) ? current : (choices[0]?.value ?? null)));
      },
      (error: unknown) => live && setApps({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, repo, rev]);

  // An app that names its context picks it, until the user picks one.
  useEffect(() => {
    if (contextPicked.current || apps.status !== 'ready' || contexts.status !== 'ready') return;
    const hint = appChoices(apps.value).find((c) => c.value === app)?.context;
    if (hint && contexts.value.contexts.some((c) => c.name === hint)) setContext(hint);
  }, [app, apps, contexts]);

  const folderCheck = folderMode ? checkFolderPath(folderText) : null;
  /** The app to plan: "app:<name>" from the list, or "path:<folder>" (a typed folder that can work). */
  const chosenApp = folderCheck ? (folderCheck.ok ? `path:${folderCheck.path}` : null) : app;
  const chosenSummary = chosenApp?.startsWith('app:') && apps.status === 'ready' ? apps.value.apps.find((a) => `app:${a.name}` === chosenApp) : undefined;
  const contextNamespace = (contexts.status === 'ready' && contexts.value.contexts.find((c) => c.name === context)?.namespace) || 'default';
  const optionDefaults: PlanOptionsDefaults = {
    namespace: chosenSummary?.namespace ?? contextNamespace,
    namespaceFrom: chosenSummary?.namespace !== undefined ? "the app's destination" : `context ${context ?? ''}`,
    prune: chosenSummary?.prune ?? false,
    createNamespace: chosenSummary?.createNamespace ?? false,
  };
  const optionsOk = namespaceProblem(options.namespace) === null;
  const inputs: PlanInputs | null =
    repo && rev && chosenApp && context && optionsOk
      ? { repoId: repo.id, rev: rev.rev, app: chosenApp, context, revLabel: rev.label, namespace: options.namespace.trim(), prune: options.prune, createNamespace: options.createNamespace, adopt: false }
      : null;
  const planning = planRun.status === 'loading';

  const runPlanWith = useCallback((how: { adopt: boolean }) => {
    if (!inputs) return;
    const mine = ++planGeneration.current;
    const planned: PlanInputs = { ...inputs, adopt: how.adopt };
    setPlanRun({ status: 'loading' });
    setRunningInputs(planned);
    const choice = inputs.app.startsWith('app:') ? { app: inputs.app.slice(4) } : { path: inputs.app.slice(5) };
    setView('plan');
    host.plan({ repoId: inputs.repoId, rev: inputs.rev, context: inputs.context, ...choice, ...planOptionsRequest(planned) }).then(
      (p) => {
        if (mine !== planGeneration.current) return;
        // The UI benchmark (bench/ui-bench.ts) times the review from here: list interactive, diff open.
        performance.mark(PLAN_RECEIVED_MARK, { detail: { changes: p.changes.length } });
        setPlan({ plan: p, inputs: planned });
        setPlanRun({ status: 'ready', value: p });
      },
      (error: unknown) => mine === planGeneration.current && setPlanRun({ status: 'failed', error }),
    );
  }, [host, inputs]);
  const runPlan = useCallback(() => runPlanWith({ adopt: false }), [runPlanWith]);

  // A new app starts from its own prune and createNamespace; the namespace field is kept only while it is typed for this app.
  useEffect(() => {
    setOptions({ namespace: '', prune: optionDefaults.prune, createNamespace: optionDefaults.createNamespace });
  }, [chosenApp, optionDefaults.prune, optionDefaults.createNamespace]);

  /** A rollback (the app at the run's commit, against the current context) or revert (undo the run) as a plan preview. */
  const runPreview = useCallback(
    (kind: PreviewKind, run: RunSummary) => {
      if (!inputs) return;
      const mine = ++planGeneration.current;
      const previewInputs: PlanInputs = { ...inputs, revLabel: `${ORIGIN_TEXT[kind]} of ${run.id}` };
      setPlanRun({ status: 'loading' });
      setRunningInputs({ ...previewInputs, app: `app:${run.app.name}`, revLabel: kind === 'rollback' ? run.commit.slice(0, 7) : `the state before ${run.id}`, context: kind === 'rollback' ? inputs.context : run.cluster.context });
      setView('plan');
      const request = kind === 'rollback' ? host.planRollback({ runId: run.id, context: inputs.context }) : host.planRevert({ runId: run.id });
      request.then(
        (p) => {
          if (mine !== planGeneration.current) return;
          setPlan({ plan: p, inputs: previewInputs, origin: { kind, run } });
          setPlanRun({ status: 'ready', value: p });
        },
        (error: unknown) => mine === planGeneration.current && setPlanRun({ status: 'failed', error }),
      );
    },
    [host, inputs],
  );

  // Ctrl/Cmd+Enter plans from anywhere on the screen.
  const runPlanRef = useRef(runPlan);
  useEffect(() => {
    runPlanRef.current = runPlan;
  }, [runPlan]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        runPlanRef.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  if (!repo || !revisions) {
    if (startup.status === 'pending') return <div className="start" aria-busy="true" data-testid="startup-pending" />;
    return <StartBar onOpened={opened} {...(startup.failed && { initial: startup.failed })} />;
  }

  const appList = apps.status === 'ready' ? appChoices(apps.value) : [];
  const stale = plan !== null && !plan.origin && !planning && inputs !== null && !sameInputs(inputs, plan.inputs);
  const shown = plan?.plan;
  const gate = applyGate({ plan: shown, planning, stale, applying: applying !== null, applied: shown !== undefined && appliedPlans.has(shown.id) });
  const contextInfo = contexts.status === 'ready' ? contexts.value.contexts : [];
  const planContextProtected = (p: Plan): boolean => contextInfo.some((c) => c.name === p.inputs.cluster?.context && c.protected === true);
  const historyApp = chosenApp?.startsWith('app:') ? chosenApp.slice(4) : plan && !plan.origin ? plan.plan.inputs.app.name : null;
  const planError = planRun.status === 'failed' ? errorInfo(planRun.error) : null;
  const folderOf = (a: string | undefined): string | null => (a?.startsWith('path:') ? a.slice(5) || '(the repository root)' : null);
  const failedFolder = planError && FOLDER_ERRORS[planError.code] ? folderOf(runningInputs?.app) : null;
  const folderProblem =
    folderCheck && !folderCheck.ok
      ? `${folderText.trim()} ${folderCheck.reason}`
      : failedFolder !== null && planError && runningInputs?.app === chosenApp
        ? FOLDER_ERRORS[planError.code]!(failedFolder, runningInputs.revLabel)
        : null;
  const replan = plan?.origin ? () => runPreview(plan.origin!.kind, plan.origin!.run) : runPlan;
  return (
    <div className="workspace">
      <header className="topbar" aria-label="Plan inputs">
        <button
          type="button"
          className="repo-button"
          title={`${repo.dir} — open another repository`}
          data-testid="repo-name"
          onClick={() => {
            setRepo(null);
            setRevisions(null);
            setPlan(null);
          }}
        >
          <span aria-hidden="true">▤</span> {repo.name}
        </button>
        <div className="field">
          <span className="field-label" id="app-label">
            App
          </span>
          <div className="field-row">
            <select
              className="select"
              data-testid="app-selector"
              aria-labelledby="app-label"
              value={folderMode ? FOLDER_CHOICE : (app ?? '')}
              disabled={apps.status !== 'ready'}
              onChange={(e) => {
                const value = e.target.value;
                setFolderMode(value === FOLDER_CHOICE);
                if (value !== FOLDER_CHOICE) setApp(value);
              }}
            >
              {apps.status === 'loading' && <option value={folderMode ? FOLDER_CHOICE : (app ?? '')}>Loading…</option>}
              {apps.status === 'failed' && <option value="">No apps (see the error)</option>}
              {appList.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
              {apps.status === 'ready' && <option value={FOLDER_CHOICE}>Another folder…</option>}
            </select>
            {folderMode && (
              <input
                className="input app-path"
                data-testid="app-path"
                aria-label="Folder of the repository"
                aria-invalid={folderProblem !== null}
                aria-describedby={folderProblem ? 'app-path-problem' : undefined}
                placeholder="apps/web"
                title="Any folder of the repository, relative to its root (empty: the whole repository), planned as one app"
                list="app-paths"
                value={folderText}
                autoFocus
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => setFolderText(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return; // Ctrl/Cmd+Enter: the window's shortcut plans
                  e.preventDefault();
                  runPlan();
                }}
              />
            )}
          </div>
          {folderMode && folderProblem && (
            <span className="field-problem" id="app-path-problem" role="alert" data-testid="app-path-problem">
              {folderProblem}
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
        <div className="field">
          <span className="field-label">Revision</span>
          <RevisionPicker repoId={repo.id} initial={revisions} value={rev} onChange={setRev} />
        </div>
        <div className="field">
          <span className="field-label">Context</span>
          <ContextSwitcher
            list={contexts.status === 'ready' ? contexts.value : null}
            value={context}
            onReload={loadContexts}
            onChange={(c) => {
              contextPicked.current = true;
              setContext(c);
            }}
          />
        </div>
        <PlanOptions value={options} defaults={optionDefaults} onChange={setOptions} />
        <div className="topbar-actions">
          <button type="button" className="btn primary" data-testid="plan-button" disabled={!inputs || planning} onClick={runPlan} title={`Compute the plan (${PLAN_SHORTCUT})`}>
            {planning ? 'Planning…' : 'Plan'} <kbd>{PLAN_SHORTCUT}</kbd>
          </button>
          <button type="button" className="btn apply" data-testid="apply-button" disabled={!gate.canApply} title={gate.reason} onClick={() => setConfirming(true)}>
            Apply…
          </button>
        </div>
      </header>
      <nav className="tabs" aria-label="Views">
        <button type="button" role="tab" aria-selected={view === 'plan'} className={view === 'plan' ? 'on' : ''} data-testid="tab-plan" onClick={() => setView('plan')}>
          {applying ? 'Apply' : 'Plan'}
        </button>
        <button type="button" role="tab" aria-selected={view === 'history'} className={view === 'history' ? 'on' : ''} data-testid="tab-history" onClick={() => setView('history')}>
          History
        </button>
      </nav>
      {apps.status === 'failed' && <ErrorMessage compact title="Cannot read the apps of this revision" error={errorInfo(apps.error)} />}
      {contexts.status === 'failed' && <ErrorMessage compact title="Cannot read the kubeconfig" error={errorInfo(contexts.error)} onRetry={loadContexts} />}
      <main className="workspace-main">
        {view === 'history' && (
          <HistoryView repoId={repo.id} app={historyApp} context={context} refreshKey={historyKey} previewing={planning} onPreview={runPreview} />
        )}
        {view === 'plan' && applying && (
          <ApplyProgressView
            runId={applying.runId}
            plan={applying.plan}
            events={events}
            startedAt={applying.startedAt}
            onClose={() => setApplying(null)}
            onShowHistory={() => {
              setApplying(null);
              setView('history');
            }}
          />
        )}
        {view === 'plan' && !applying && planning && (
          <div className="planning" role="status" aria-busy="true" data-testid="planning">
            <span className="spinner" aria-hidden="true" /> Planning {runningInputs?.app.replace(/^app:|^path:/, '') || 'the repository'} at {runningInputs?.revLabel} against {runningInputs?.context}…
          </div>
        )}
        {view === 'plan' && !applying && planRun.status === 'failed' && (
          <div className="plan-error">
            <ErrorMessage title={failedFolder !== null && planError && runningInputs ? FOLDER_ERRORS[planError.code]!(failedFolder, runningInputs.revLabel) : 'The plan failed'} error={errorInfo(planRun.error)} onRetry={replan} />
          </div>
        )}
        {view === 'plan' && !applying && plan && plan.origin && (
          <div className={`preview-banner preview-${plan.origin.kind}`} role="status" data-testid="preview-banner" data-kind={plan.origin.kind}>
            {plan.origin.kind === 'rollback' ? (
              <>
                <b>Rollback preview</b>: {plan.plan.inputs.app.name} at <code>{plan.origin.run.commit.slice(0, 7)}</code>, the commit of run <code>{plan.origin.run.id}</code>, against{' '}
                <b>{plan.plan.inputs.cluster?.context}</b>. Review it, then Apply.
              </>
            ) : (
              <>
                <b>Revert preview</b>: undoes what run <code>{plan.origin.run.id}</code> changed in <b>{plan.plan.inputs.cluster?.context}</b>. Review it, then Apply.
              </>
            )}{' '}
            <button type="button" className="link" onClick={() => setPlan(null)}>
              Discard
            </button>
          </div>
        )}
        {view === 'plan' && !applying && (plan ? (
          <PlanView plan={plan.plan} stale={stale} onReplan={replan} {...(!plan.origin && { onAdopt: () => runPlanWith({ adopt: true }) })} />
        ) : (
          !planning &&
          planRun.status !== 'failed' && (
            <div className="empty">
              <h2>Review before you apply</h2>
              <p>
                Pick an app, a revision and a context, then press <b>Plan</b> (<kbd>{PLAN_SHORTCUT}</kbd>) to see what would change in the cluster.
              </p>
            </div>
          )
        ))}
      </main>
      {confirming && shown && (
        <ApplyDialog
          plan={shown}
          what={plan?.origin ? `${ORIGIN_TEXT[plan.origin.kind]} plan` : undefined}
          protectedContext={planContextProtected(shown)}
          onClose={() => setConfirming(false)}
          onStarted={(started) => {
            setConfirming(false);
            setView('plan');
            setAppliedPlans((s) => new Set([...s, shown.id]));
            setApplying({ runId: started.runId, plan: shown, startedAt: Date.now() });
          }}
        />
      )}
    </div>
  );
}

function StartBar(props: { onOpened: (r: OpenedRepository, list: RevisionList) => void; initial?: { path: string; error: unknown } }): React.JSX.Element {
  const host = useHost();
  const [path, setPath] = useState(() => props.initial?.path ?? recentRepositories()[0] ?? '');
  const [state, setState] = useState<Loadable<null>>(() => (props.initial ? { status: 'failed', error: props.initial.error } : { status: 'idle' }));
  const recent = recentRepositories();

  const open = (target: string): void => {
    if (!target.trim()) return;
    setState({ status: 'loading' });
    host
      .openRepository({ path: target })
      .then(async (r) => props.onOpened(r, await host.listRevisions({ repoId: r.id })))
      .catch((error: unknown) => setState({ status: 'failed', error }));
  };

  return (
    <div className="start">
      <form
        className="start-bar"
        onSubmit={(e) => {
          e.preventDefault();
          open(path);
        }}
      >
        <h1>Open a Git repository</h1>
        <p className="muted">A folder inside a local repository. Slipway reads any revision of it without checking anything out.</p>
        <div className="start-row">
          <input
            className="input grow"
            data-testid="repo-path"
            aria-label="Repository path"
            placeholder="/home/me/src/infra"
            value={path}
            autoFocus
            spellCheck={false}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" className="btn primary" data-testid="open-repo" disabled={state.status === 'loading' || !path.trim()}>
            {state.status === 'loading' ? 'Opening…' : 'Open'}
          </button>
        </div>
        {state.status === 'failed' && <ErrorMessage title="Cannot open the repository" error={errorInfo(state.error)} />}
        {recent.length > 0 && (
          <div className="recent">
            <span className="muted small">Recent</span>
            <ul>
              {recent.map((d) => (
                <li key={d}>
                  <button
                    type="button"
                    className="link mono"
                    onClick={() => {
                      setPath(d);
                      open(d);
                    }}
                  >
                    {d}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
    </div>
  );
}
