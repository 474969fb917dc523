/**
 * One change in Monaco: the live object (`before`) against what the cluster will hold after apply
 * (`after`), side by side or inline (narrow panes, see diffLayout.ts), unchanged regions folded
 * and the first change in view; or one read-only pane when there is one side only (diffPane.ts).
 * Both are the engine's normalized, secret-masked YAML: the renderer never diffs or edits YAML
 * itself (DESIGN.md rules 2 and 7). Loaded lazily (see monaco.ts). One editor serves change after
 * change (building one costs more than the rest of opening a diff): a new change swaps its text,
 * its why-marks, and brings its first change into view.
 */
import { DiffEditor } from '@monaco-editor/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Change } from '../../../core/api/contract.js';
// Side effect first: bundles Monaco and points @monaco-editor/react at it (no CDN).
import '../monaco.js';
import { diffLayout, LAYOUT_CHOICES, type DiffLayoutChoice } from '../diffLayout.js';
import { diffPane, type DiffPane } from '../diffPane.js';
import { afterLabel, diffSides } from '../diffSides.js';
import { useDiffPreferences } from '../diffPreferences.js';
import type { monaco } from '../monaco.js';
import { monacoTheme, useTheme } from '../theme.js';
import { useShortcuts } from '../workspace/useShortcuts.js';
import { monacoDecoration, whyDecorations } from '../why.js';
import YamlView from './YamlView.js';

type DiffEditorInstance = ReturnType<typeof monaco.editor.createDiffEditor>;

export default function DiffView(props: { change: Change }): React.JSX.Element {
  const pane = diffPane(props.change);
  if (pane.kind === 'single') {
    const sides = pane.bothSides ? 'original modified' : pane.side === 'before' ? 'original' : 'modified';
    return (
      <div className="diff" data-testid="diff-view" data-pane="single" data-sides={sides}>
        <YamlView yaml={(pane.side === 'before' ? props.change.before : props.change.after) ?? ''} label={pane.side === 'after' ? afterLabel(props.change, pane.label) : pane.label} {...(pane.side === 'after' && { decorations: whyDecorations(props.change) })} />
      </div>
    );
  }
  return <TwoSides change={props.change} labels={pane.labels} />;
}

/** The width of `ref`'s element, followed as the window or the sidebar changes it. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => setWidth(entries[0]?.contentRect.width ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function TwoSides(props: { change: Change; labels: Extract<DiffPane, { kind: 'diff' }>['labels'] }): React.JSX.Element {
  const [prefs, setPrefs] = useDiffPreferences();
  const theme = monacoTheme(useTheme());
  const editor = useRef<DiffEditorInstance | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const layout = diffLayout(prefs.layout, useWidth(box));
  const options = useMemo(
    () => ({
      readOnly: true,
      domReadOnly: true,
      originalEditable: false,
      renderSideBySide: layout === 'side-by-side',
      useInlineViewWhenSpaceIsLimited: false,
      // Wrapped, never cut: the end of a long line (an image's tag) is where changes are.
      wordWrap: 'on' as const,
      diffWordWrap: 'on' as const,
      wrappingIndent: 'same' as const,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      ignoreTrimWhitespace: false,
      hideUnchangedRegions: { enabled: !prefs.wholeObjects, contextLineCount: 3, minimumLineCount: 3, revealLineCount: 20 },
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      folding: true,
      stickyScroll: { enabled: false },
      renderValidationDecorations: 'off' as const,
    }),
    [layout, prefs.wholeObjects],
  );

  // @monaco-editor/react disposes the models before the diff widget, which Monaco reports as a
  // bug; keep them (keepCurrent*Model) and detach and dispose them here, while the widget lives.
  useLayoutEffect(
    () => () => {
      const instance = editor.current;
      editor.current = null;
      if (!instance) return;
      const models = instance.getModel();
      try {
        instance.setModel(null);
      } catch {
        // already disposed with its widget
      }
      models?.original.dispose();
      models?.modified.dispose();
    },
    [],
  );

  // Whole objects on or off, or another layout, moves the lines: the first change back in view.
  useEffect(() => {
    editor.current?.revealFirstDiff();
  }, [prefs.wholeObjects, layout]);

  // Another change in the same editor: @monaco-editor/react swaps the text; the marks and the first change follow here.
  const why = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const shown = useRef(props.change);
  useEffect(() => {
    if (shown.current === props.change) return;
    shown.current = props.change;
    const instance = editor.current;
    if (!instance) return; // not mounted yet: onMount does both
    why.current?.set(whyDecorations(props.change).map(monacoDecoration));
    instance.revealFirstDiff();
  }, [props.change]);

  useShortcuts({ 'next-diff': () => editor.current?.goToDiff('next'), 'previous-diff': () => editor.current?.goToDiff('previous') });

  const [left, right] = diffSides(props.change, props.labels);
  const tools = (
    <span className="diff-tools">
      <button type="button" className="btn small ghost" data-testid="diff-previous" title="Previous change in this diff (p)" aria-label="Previous change" onClick={() => editor.current?.goToDiff('previous')}>
        ↑
      </button>
      <button type="button" className="btn small ghost" data-testid="diff-next" title="Next change in this diff (n)" aria-label="Next change" onClick={() => editor.current?.goToDiff('next')}>
        ↓
      </button>
      <select className="select diff-layout" data-testid="diff-layout" aria-label="Diff layout" title={`Auto: inline when the diff is narrower than it needs to show both sides`} value={prefs.layout} onChange={(e) => setPrefs({ layout: e.target.value as DiffLayoutChoice })}>
        {LAYOUT_CHOICES.map(([choice, label]) => (
          <option key={choice} value={choice}>
            {choice === 'auto' ? `${label} (${layout === 'inline' ? 'inline' : 'side by side'})` : label}
          </option>
        ))}
      </select>
      <label className="diff-toggle" title="Show the unchanged parts of both objects too">
        <input type="checkbox" data-testid="diff-whole" checked={prefs.wholeObjects} onChange={(e) => setPrefs({ wholeObjects: e.target.checked })} /> Whole objects
      </label>
    </span>
  );
  return (
    <div className="diff" data-testid="diff-view" data-pane="diff" data-layout={layout} ref={box}>
      <div className={`diff-sides layout-${layout}`}>
        {layout === 'side-by-side' ? (
          <>
            <span className="diff-side">{left}</span>
            <span className="diff-side">
              <span className="ellipsis">{right}</span>
              {tools}
            </span>
          </>
        ) : (
          <span className="diff-side">
            <span className="ellipsis">
              {left} → {right}
            </span>
            {tools}
          </span>
        )}
      </div>
      <div className="diff-editor">
        <DiffEditor
          original={props.change.before ?? ''}
          modified={props.change.after ?? ''}
          language="yaml"
          theme={theme}
          options={options}
          keepCurrentOriginalModel
          keepCurrentModifiedModel
          loading={<div className="loading">Loading the diff editor…</div>}
          onMount={(instance) => {
            editor.current = instance as unknown as DiffEditorInstance;
            // Why this change: each changed line of the after side marked with the commit that last changed it.
            why.current = editor.current.getModifiedEditor().createDecorationsCollection(whyDecorations(shown.current).map(monacoDecoration));
            // The diff opens on its first change (revealFirstDiff waits for the diff to be computed).
            editor.current.revealFirstDiff();
          }}
        />
      </div>
    </div>
  );
}

