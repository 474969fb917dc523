/**
 * What the next plan is asked for: the repository and its revision, the app (from the list, or
 * any folder typed), the context and the plan options. Also opens what the front door was started
 * with. `inputs` is the complete choice, or null while something is missing or invalid.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppList, AppSummary, HostApi, OpenedRepository, RevisionList, Startup } from '../../../core/api/contract.js';
import { appChoices, defaultChoice } from '../appChoices.js';
import { checkFolderPath, type FolderCheck } from '../folderPath.js';
import type { Loadable } from '../loadable.js';
import type { PlanInputs } from '../planInputs.js';
import { sameSelection, selectedAppName, type AppChoiceSelection } from '../selection.js';
import { namespaceProblem, type PlanOptionsDefaults, type PlanOptionsValue } from '../components/PlanOptions.js';
import { defaultRevision, pickCommit, pickRef, type PickedRevision } from '../components/RevisionPicker.js';
import { preloadWorkspaceViews } from '../workspaceViews.js';
import { useContexts, type Contexts } from './useContexts.js';

/** What the front door was started with: opened once, before the start screen shows; a repository that fails to open lands on the start screen with the error. */
export type StartupState = { readonly status: 'pending' } | { readonly status: 'done'; readonly failed?: { readonly path: string; readonly error: unknown } };

/** The revision a startup `rev` names, as git would read it: the working copy, a tag, a branch, a commit of the first page; else passed to the engine as it is. */
export function startupRevision(list: RevisionList, rev: string): PickedRevision {
  if (list.workingCopy && rev === list.workingCopy.rev) return { rev, kind: 'working-copy', label: 'Working copy', ...(list.workingCopy.head && { oid: list.workingCopy.head }) };
  const ref = [...list.tags, ...list.branches, ...list.remoteBranches].find((r) => r.name === rev || r.fullName === rev);
  if (ref) return pickRef(ref);
  const commit = rev.length >= 4 ? list.commits.find((c) => c.oid.startsWith(rev.toLowerCase())) : undefined;
  return commit ? pickCommit(commit) : { rev, kind: 'commit', label: rev };
}

export interface Selection extends Contexts {
  readonly startup: StartupState;
  readonly repo: OpenedRepository | null;
  readonly revisions: RevisionList | null;
  readonly rev: PickedRevision | null;
  readonly setRev: (rev: PickedRevision | null) => void;
  readonly apps: Loadable<AppList>;
  /** The app or folder picked from the list, kept while a folder is typed instead. */
  readonly app: AppChoiceSelection | null;
  readonly setApp: (app: AppChoiceSelection) => void;
  /** "Another folder…": the folder typed instead of an app of the list. */
  readonly folderMode: boolean;
  readonly setFolderMode: (on: boolean) => void;
  readonly folderText: string;
  readonly setFolderText: (text: string) => void;
  /** The typed folder's check, or null when no folder is typed. */
  readonly folderCheck: FolderCheck | null;
  /** The app to plan: the one picked from the list, or the typed folder when it can work. */
  readonly chosenApp: AppChoiceSelection | null;
  readonly options: PlanOptionsValue;
  readonly setOptions: (options: PlanOptionsValue) => void;
  readonly optionDefaults: PlanOptionsDefaults;
  readonly inputs: PlanInputs | null;
  readonly opened: (r: OpenedRepository, list: RevisionList) => void;
  /** Back to the start screen. */
  readonly close: () => void;
}

/** `onOpened` runs with every repository opened (the plan of the one before no longer applies). */
export function useSelection(host: HostApi, onOpened: () => void): Selection {
  const [startup, setStartup] = useState<StartupState>({ status: 'pending' });
  const [repo, setRepo] = useState<OpenedRepository | null>(null);
  const [revisions, setRevisions] = useState<RevisionList | null>(null);
  const [rev, setRev] = useState<PickedRevision | null>(null);
  const [apps, setApps] = useState<Loadable<AppList>>({ status: 'idle' });
  const [app, setApp] = useState<AppChoiceSelection | null>(null);
  const [folderMode, setFolderMode] = useState(false);
  const [folderText, setFolderText] = useState('');
  const [options, setOptions] = useState<PlanOptionsValue>({ namespace: '', prune: false, createNamespace: false });
  const contexts = useContexts(host);
  const { pick: pickContext, suggest: suggestContext } = contexts;
  // The app last chosen in the repository (kept by the engine with its recent repositories), once it answers.
  const lastUsed = useRef<Promise<AppChoiceSelection | null>>(Promise.resolve(null));

  // Through a ref, so a new onOpened never makes `opened` new (that would run the start-up again).
  const onOpenedRef = useRef(onOpened);
  useEffect(() => {
    onOpenedRef.current = onOpened;
  }, [onOpened]);
  const opened = useCallback(
    (r: OpenedRepository, list: RevisionList) => {
      lastUsed.current = host.rememberRepository({ dir: r.dir }).then(
        ({ repositories }) => {
          const entry = repositories.find((e) => e.dir === r.dir);
          return entry?.app !== undefined ? { app: entry.app } : entry?.path !== undefined ? { path: entry.path } : null;
        },
        () => null, // not remembered: the app is asked for
      );
      setRepo(r);
    setRevisions(list);
      setRev(defaultRevision(list));
      onOpenedRef.current();
    },
    [host],
  );
  const close = useCallback(() => {
    setRepo(null);
    setRevisions(null);
  }, []);

  useEffect(() => {
    let live = true;
    const start = async (s: Startup): Promise<void> => {
      if (s.context) pickContext(s.context);
      if (!s.repository) return;
      preloadWorkspaceViews();
      const path = s.repository;
      try {
        const r = await host.openRepository({ path });
        const list = await host.listRevisions({ repoId: r.id });
        if (!live) return;
        opened(r, list);
        if (s.rev) setRev(startupRevision(list, s.rev));
        if (s.app) setApp({ app: s.app });
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
  }, [host, opened, pickContext]);

  // The apps of the chosen revision; keep the chosen app when it still exists, else pick one only when that is no guess (appChoices.ts defaultChoice).
  useEffect(() => {
    if (!repo || !rev) return;
    let live = true;
    setApps({ status: 'loading' });
    Promise.all([host.listApps({ repoId: repo.id, rev: rev.rev }), lastUsed.current]).then(
      ([list, remembered]) => {
        if (!live) return;
        setApps({ status: 'ready', value: list });
        const choices = appChoices(list);
        setApp((current) => (current && choices.some((c) => sameSelection(c.selection, current)) ? current : defaultChoice(choices, remembered)));
      },
      (error: unknown) => live && setApps({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, repo, rev]);

  // The app chosen is remembered with the repository: opening it again picks it.
  useEffect(() => {
    if (repo && app) host.rememberRepository({ dir: repo.dir, ...app }).catch(() => undefined);
  }, [host, repo, app]);

  // New commits and tags show without searching: the list is read again when the window gets the focus back.
  useEffect(() => {
    if (!repo) return;
    const refresh = (): void => void host.listRevisions({ repoId: repo.id }).then((list) => setRevisions((old) => (old ? list : old)), () => undefined);
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [host, repo]);

  // An app that names its context picks it, until the user picks one.
  useEffect(() => {
    if (apps.status === 'ready') suggestContext(appChoices(apps.value).find((c) => sameSelection(c.selection, app))?.context);
  }, [app, apps, suggestContext]);

  const folderCheck = folderMode ? checkFolderPath(folderText) : null;
  const typedFolder = folderCheck?.ok ? folderCheck.path : null;
  // The same value while the same folder is typed (its spelling may change), so the effect below runs only for another app.
  const chosenApp = useMemo<AppChoiceSelection | null>(() => (folderMode ? (typedFolder === null ? null : { path: typedFolder }) : app), [folderMode, typedFolder, app]);
  const optionDefaults = defaultsFor(chosenApp, apps, contexts);

  // A new app starts from its own prune and createNamespace; the namespace field is kept only while it is typed for this app.
  useEffect(() => {
    setOptions({ namespace: '', prune: optionDefaults.prune, createNamespace: optionDefaults.createNamespace });
  }, [chosenApp, optionDefaults.prune, optionDefaults.createNamespace]);

  const { context } = contexts;
  // An app of the list plans only once the list is read: its options (prune, createNamespace) come with it, else the plan would be stale on arrival.
  const appsRead = folderMode || apps.status === 'ready';
  const inputs: PlanInputs | null =
    repo && rev && chosenApp && appsRead && context && namespaceProblem(options.namespace) === null
      ? { repoId: repo.id, rev: rev.rev, app: chosenApp, context, revLabel: rev.label, namespace: options.namespace.trim(), prune: options.prune, createNamespace: options.createNamespace, adopt: false }
      : null;

  return { ...contexts, startup, repo, revisions, rev, setRev, apps, app, setApp, folderMode, setFolderMode, folderText, setFolderText, folderCheck, chosenApp, options, setOptions, optionDefaults, inputs, opened, close };
}

/** The options a plan of `chosenApp` starts from: the app's own, else the context's namespace and both toggles off. */
function defaultsFor(chosenApp: AppChoiceSelection | null, apps: Loadable<AppList>, { contexts, context }: Contexts): PlanOptionsDefaults {
  const name = selectedAppName(chosenApp);
  const summary: AppSummary | undefined = name !== null && apps.status === 'ready' ? apps.value.apps.find((a) => a.name === name) : undefined;
  const contextNamespace = (contexts.status === 'ready' && contexts.value.contexts.find((c) => c.name === context)?.namespace) || 'default';
  return {
    namespace: summary?.namespace ?? contextNamespace,
    namespaceFrom: summary?.namespace !== undefined ? "the app's destination" : `context ${context ?? ''}`,
    prune: summary?.prune ?? false,
    createNamespace: summary?.createNamespace ?? false,
  };
}
