/**
 * Applying: the confirmation dialog, the run whose progress is on screen, the engine events of
 * every run, and each run's status as they tell it (the plan session marks the plan it applied).
 * `historyKey` moves when a run finishes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineEvent, HostApi, Plan } from '../../../core/api/contract.js';

export interface ApplyingRun {
  readonly runId: string;
  readonly plan: Plan;
  readonly startedAt: number;
}

export interface ApplyRuns {
  readonly confirming: boolean;
  readonly setConfirming: (on: boolean) => void;
  readonly applying: ApplyingRun | null;
  /** The progress view was closed. */
  readonly closeProgress: () => void;
  readonly events: readonly EngineEvent[];
  readonly historyKey: number;
  /** A run's status as its events tell: "running" until it finishes. */
  readonly statusOf: (runId: string) => string;
  /** The engine accepted `plan` and runs it as `runId`. */
  readonly started: (plan: Plan, runId: string) => void;
  /** The plan of a run this window started (its app and context for a notification); undefined for another window's. */
  readonly planOf: (runId: string) => Plan | undefined;
}

export function useApplyRuns(host: HostApi): ApplyRuns {
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState<ApplyingRun | null>(null);
  const [events, setEvents] = useState<readonly EngineEvent[]>([]);
  const [historyKey, setHistoryKey] = useState(0);

  // Engine events (apply progress) for every run, from now on; a view picks its run's.
  useEffect(
    () =>
      host.onEvent((e) => {
        // Only applies' events: a followed log's would crowd them out.
        if (!e.type.startsWith('apply-')) return;
        setEvents((list) => [...list.slice(-5000), e]);
        if (e.type === 'apply-finished') setHistoryKey((k) => k + 1);
      }),
    [host],
  );

  const plans = useRef(new Map<string, Plan>());
  const started = useCallback((plan: Plan, runId: string) => {
    plans.current.set(runId, plan);
    setConfirming(false);
    setApplying({ runId, plan, startedAt: Date.now() });
  }, []);
  const closeProgress = useCallback(() => setApplying(null), []);
  const statusOf = useCallback((runId: string) => events.findLast((e): e is Extract<EngineEvent, { type: 'apply-finished' }> => e.type === 'apply-finished' && e.runId === runId)?.status ?? 'running', [events]);
  const planOf = useCallback((runId: string) => plans.current.get(runId), []);
  return { confirming, setConfirming, applying, closeProgress, events, historyKey, statusOf, started, planOf };
}
