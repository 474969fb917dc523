/**
 * The lines of a followed log as the view keeps them: a bounded buffer (the newest MAX_LOG_LINES
 * lines; older ones are let go and counted), with a marker in place where the engine left lines
 * out (`dropped` of a `log-lines` event: "1,204 lines skipped"). Each item has a number that never
 * changes while it is kept, so a virtualized list keys its rows by it. Pure: appending makes a new
 * buffer; the caller batches events and appends them together.
 */

export const MAX_LOG_LINES = 10_000;

export type LogItem = { readonly n: number; readonly text: string } | { readonly n: number; readonly skipped: number };

export interface LogBuffer {
  readonly items: readonly LogItem[];
  /** Lines held (markers not counted). */
  readonly lines: number;
  /** Lines the engine left out, in all. */
  readonly skipped: number;
  /** Lines this view let go to stay within its bound. */
  readonly trimmed: number;
  /** The number of the next item. */
  readonly next: number;
}

export const EMPTY_LOG: LogBuffer = { items: [], lines: 0, skipped: 0, trimmed: 0, next: 0 };

export interface LogBatch {
  readonly lines: readonly string[];
  readonly dropped: number;
}

export const isLine = (item: LogItem): item is Extract<LogItem, { text: string }> => 'text' in item;

/** The buffer with `batches` added in order, then trimmed from the oldest end to `max` lines. */
export function appendLog(buf: LogBuffer, batches: readonly LogBatch[], max: number = MAX_LOG_LINES): LogBuffer {
  if (batches.length === 0) return buf;
  const added: LogItem[] = [];
  let { next, lines, skipped } = buf;
  for (const b of batches) {
    if (b.dropped > 0) {
      added.push({ n: next++, skipped: b.dropped });
      skipped += b.dropped;
    }
    for (const text of b.lines) added.push({ n: next++, text });
    lines += b.lines.length;
  }
  let items = buf.items.concat(added);
  let trimmed = buf.trimmed;
  if (lines > max) {
    // Drop the oldest items until `max` lines are left (and a marker left first with them).
    let over = lines - max;
    let cut = 0;
    while (cut < items.length && (over > 0 || !isLine(items[cut]!))) {
      if (isLine(items[cut]!)) over--;
      cut++;
    }
    trimmed += lines - max;
    lines = max;
    items = items.slice(cut);
  }
  return { items, lines, skipped, trimmed, next };
}

/** The words of a search: every one must be in a line (case-insensitive). */
export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The lines holding every word of `query` (markers are left out while searching); all items without one. */
export function filterLog(items: readonly LogItem[], query: string): readonly LogItem[] {
  const words = searchWords(query);
  if (words.length === 0) return items;
  return items.filter((i) => {
    if (!isLine(i)) return false;
    const t = i.text.toLowerCase();
    return words.every((w) => t.includes(w));
  });
}

/** A line cut where the words of `query` are, for highlighting: [text, matched] pairs in order. */
export function markMatches(text: string, query: string): Array<readonly [string, boolean]> {
  const words = searchWords(query);
  if (words.length === 0) return [[text, false]];
  const lower = text.toLowerCase();
  const hit = new Array<boolean>(text.length).fill(false);
  for (const w of words) {
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) hit.fill(true, i, i + w.length);
  }
  const parts: Array<readonly [string, boolean]> = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hit[i] !== hit[start]) {
      parts.push([text.slice(start, i), hit[start]!]);
      start = i;
    }
  }
  return parts.length > 0 ? parts : [[text, false]];
}
