/**
 * Applying: the confirmation dialog, the run whose progress is on screen, the engine events of
 * every run, and the plans already sent (applying one twice is refused by the engine anyway, as
 * stale, so the Apply button says it first). `historyKey` moves when a run finishes.
 */
import { useCallback, useEffect, useState } from 'react';
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
  readonly appliedPlans: ReadonlySet<string>;
  /** The engine accepted `plan` and runs it as `runId`. */
  readonly started: (plan: Plan, runId: string) => void;
}

export function useApplyRuns(host: HostApi): ApplyRuns {
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState<ApplyingRun | null>(null);
  const [events, setEvents] = useState<readonly EngineEvent[]>([]);
  const [historyKey, setHistoryKey] = useState(0);
  const [appliedPlans, setAppliedPlans] = useState<ReadonlySet<string>>(() => new Set());

  // Engine events (apply progress) for every run, from now on; a view picks its run's.
  useEffect(
    () =>
      host.onEvent((e) => {
        setEvents((list) => [...list.slice(-5000), e]);
        if (e.type === 'apply-finished') setHistoryKey((k) => k + 1);
      }),
    [host],
  );

  const started = useCallback((plan: Plan, runId: string) => {
    setConfirming(false);
    setAppliedPlans((s) => new Set([...s, plan.id]));
    setApplying({ runId, plan, startedAt: Date.now() });
  }, []);
  const closeProgress = useCallback(() => setApplying(null), []);
  return { confirming, setConfirming, applying, closeProgress, events, historyKey, appliedPlans, started };
}
