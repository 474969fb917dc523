/**
 * Looking for secret values where they must never be: a sentinel is a random string seeded into
 * a Secret, a Helm value or a kubeconfig credential, and a leak is any of its written forms found
 * in an output (text or bytes).
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';

/** A random, unique value; `prefix` says where it was seeded (shown when it leaks). */
export function sentinel(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/**
 * The ways a value can be written down: as is, JSON-escaped, HTML-escaped, and base64 — at each
 * of the three alignments it can have inside a longer base64 string (a value embedded in a
 * connection string, a Secret's data encoded whole), keeping only the characters that depend on
 * the value alone.
 */
export function forms(value: string): Array<{ readonly kind: 'plain' | 'json' | 'html' | 'base64'; readonly text: string }> {
  const out = [
    { kind: 'plain', text: value },
    { kind: 'json', text: JSON.stringify(value).slice(1, -1) },
    { kind: 'html', text: value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') },
  ] as Array<{ kind: 'plain' | 'json' | 'html' | 'base64'; text: string }>;
  for (const pad of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(pad), Buffer.from(value, 'utf8')]).toString('base64');
    const start = pad === 0 ? 0 : 4;
    const end = encoded.length - 4; // the last group may mix in whatever follows the value
    if (end - start >= 12) out.push({ kind: 'base64', text: encoded.slice(start, end) });
  }
  return out.filter((f, i) => out.findIndex((g) => g.text === f.text) === i);
}

export interface Output {
  /** Where it was read, for the failure message: "plan --json stdout", "history.db-wal (open)", a URL. */
  readonly where: string;
  readonly content: string | Buffer;
}

export interface Leak {
  readonly sentinel: string;
  readonly form: 'plain' | 'json' | 'html' | 'base64';
  readonly where: string;
  /** A few characters around it (the value itself replaced), to find the code that wrote it. */
  readonly around: string;
}

/** Every (sentinel, output) pair where a form of the sentinel occurs. */
export function findLeaks(outputs: readonly Output[], sentinels: Readonly<Record<string, string>>): Leak[] {
  const leaks: Leak[] = [];
  for (const [name, value] of Object.entries(sentinels)) {
    for (const form of forms(value)) {
      const needle = Buffer.from(form.text, 'utf8');
      for (const o of outputs) {
        const hay = typeof o.content === 'string' ? Buffer.from(o.content, 'utf8') : o.content;
        const at = hay.indexOf(needle);
        if (at < 0) continue;
        const around = `${hay.subarray(Math.max(0, at - 80), at).toString('utf8')}«${name}»${hay.subarray(at + needle.length, at + needle.length + 80).toString('utf8')}`;
        leaks.push({ sentinel: name, form: form.kind, where: o.where, around });
      }
    }
  }
  return leaks;
}

/** What a page received, counted as it arrives (its contents are in the outputs). */
export interface PageOutputs {
  readonly responses: number;
  readonly frames: number;
  /** Resolves once the bodies of the responses received so far are read into the outputs. */
  settled(): Promise<void>;
}

/** Every HTTP response body and WebSocket frame the page receives from now on joins `outputs`. */
export function captureOutputs(page: Page, outputs: Output[]): PageOutputs {
  const pending: Promise<unknown>[] = [];
  const seen = { responses: 0, frames: 0 };
  page.on('response', (r) => {
    pending.push(
      r.body().then(
        (body) => {
          seen.responses++;
          outputs.push({ where: `HTTP ${r.status()} ${r.request().method()} ${r.url()}`, content: body });
        },
        () => undefined, // redirects and aborted requests have no body
      ),
    );
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      seen.frames++;
      outputs.push({ where: `WebSocket frame from ${ws.url()}`, content: typeof f.payload === 'string' ? f.payload : Buffer.from(f.payload) });
    });
  });
  return {
    get responses() {
      return seen.responses;
    },
    get frames() {
      return seen.frames;
    },
    settled: async () => void (await Promise.all(pending)),
  };
}
