/**
 * Monaco, bundled (never fetched from a CDN): the editor core, the few features a read-only diff
 * needs, YAML highlighting, and its web worker built by Vite (`?worker`), so no network is used.
 * @monaco-editor/react is pointed at this instance with `loader.config({ monaco })`.
 *
 * Only DiffView and YamlView import this module, and both are loaded lazily: the editor stays out
 * of the first screen's bundle.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/stickyScroll/register';
import 'monaco-editor/languages/definitions/yaml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

loader.config({ monaco });

export { monaco };
