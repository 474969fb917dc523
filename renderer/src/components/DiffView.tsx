/**
 * One change, side by side in Monaco's diff editor: the live object (`before`) on the left and
 * what the cluster will hold after apply (`after`) on the right. Both are the engine's
 * normalized, secret-masked YAML: the renderer never diffs or edits YAML itself (DESIGN.md
 * rules 2 and 7). Loaded lazily (see monaco.ts).
 */
import { DiffEditor } from '@monaco-editor/react';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Change } from '../../../core/api/contract.js';
// Side effect first: bundles Monaco and points @monaco-editor/react at it (no CDN).
import '../monaco.js';
import type { monaco } from '../monaco.js';
import { diffSides } from '../diffSides.js';
import { monacoTheme, useTheme } from '../theme.js';

type DiffEditorInstance = ReturnType<typeof monaco.editor.createDiffEditor>;

const SIDE_LABEL: Readonly<Record<Change['action'], [string, string]>> = {
  create: ['Live: does not exist', 'After apply: created'],
  update: ['Live', 'After apply (server dry-run)'],
  replace: ['Live (will be deleted)', 'After apply: recreated'],
  delete: ['Live', 'After apply: deleted'],
  noop: ['Live', 'After apply: unchanged'],
  error: ['Live', 'Desired (could not be dry-run)'],
};

export default function DiffView(props: { change: Change }): React.JSX.Element {
  const [fullFiles, setFullFiles] = useState(false);
  const theme = monacoTheme(useTheme());
  const editor = useRef<DiffEditorInstance | null>(null);
  const options = useMemo(
    () => ({
      readOnly: true,
      domReadOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      ignoreTrimWhitespace: false,
      hideUnchangedRegions: { enabled: !fullFiles, contextLineCount: 4, minimumLineCount: 4, revealLineCount: 10 },
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      folding: true,
      stickyScroll: { enabled: false },
      renderValidationDecorations: 'off' as const,
    }),
    [fullFiles],
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

  const [left, right] = diffSides(props.change, SIDE_LABEL[props.change.action]);
  return (
    <div className="diff" data-testid="diff-view">
      <div className="diff-sides">
        <span className="diff-side">{left}</span>
        <span className="diff-side">
          {right}
          <label className="diff-toggle" title="Show the unchanged parts of both objects too">
            <input type="checkbox" checked={fullFiles} onChange={(e) => setFullFiles(e.target.checked)} /> Whole objects
          </label>
        </span>
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
          }}
        />
      </div>
    </div>
  );
}
