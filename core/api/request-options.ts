/**
 * The parts of the engine options (core/engine/options.ts) each kind of request takes, each field
 * left out when the settings leave it unset, so the engine's own defaults apply.
 */
import type { EngineOptions } from '../engine/options.js';

/** One API request: its timeout. */
export const requestOptions = (o: EngineOptions) => ({ ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }) });

/** Rendering: where materialized trees go, the tool paths. */
export const renderOptions = (o: EngineOptions) => ({ cacheDir: o.cacheDir, ...(o.tools && { tools: o.tools }) });

/** Planning an app (and reading its live tree): rendering, parallel API calls and their timeout. */
export const planOptions = (o: EngineOptions) => ({ ...renderOptions(o), ...(o.concurrency !== undefined && { concurrency: o.concurrency }), ...requestOptions(o) });
