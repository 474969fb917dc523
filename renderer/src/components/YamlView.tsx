/**
 * One object's YAML, read-only in Monaco (no diff: a hook is created as it is each time apply runs
 * it). The text is the engine's secret-masked YAML (DESIGN.md rule 7). Loaded lazily, as DiffView.
 */
import { Editor } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
// Side effect first: bundles Monaco and points @monaco-editor/react at it (no CDN).
import '../monaco.js';
import { monacoTheme, useTheme } from '../theme.js';
import type { monaco } from '../monaco.js';
import { monacoDecoration, type WhyDecoration } from '../why.js';

export default function YamlView(props: { yaml: string; label: string; decorations?: readonly WhyDecoration[] }): React.JSX.Element {
  const theme = monacoTheme(useTheme());
  const options = useMemo(
    () => ({
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      // Wrapped, never cut off at the pane's edge.
      wordWrap: 'on' as const,
      wrappingIndent: 'same' as const,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      folding: true,
      stickyScroll: { enabled: false },
      renderValidationDecorations: 'off' as const,
    }),
    [],
  );
  // The same editor shows object after object (DiffView is not keyed per change): the marks follow the text.
  const marks = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const latest = useRef(props.decorations);
  latest.current = props.decorations;
  useEffect(() => {
    marks.current?.set((props.decorations ?? []).map(monacoDecoration));
  }, [props.decorations]);
  return (
    <div className="diff" data-testid="yaml-view">
      <div className="yaml-label">{props.label}</div>
      <div className="diff-editor">
        <Editor
          value={props.yaml}
          language="yaml"
          theme={theme}
          options={options}
          loading={<div className="loading">Loading the editor…</div>}
          onMount={(editor) => {
            // Why this change (a create of plain YAML): each line marked with the commit that last changed it.
            marks.current = editor.createDecorationsCollection((latest.current ?? []).map(monacoDecoration));
          }}
        />
      </div>
    </div>
  );
}
