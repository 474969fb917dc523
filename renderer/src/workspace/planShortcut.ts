/** Ctrl/Cmd+Enter plans from anywhere on the screen (captured before any field sees the key). */
import { useEffect, useRef } from 'react';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const PLAN_SHORTCUT = isMac ? '⌘↵' : 'Ctrl+Enter';

export function usePlanShortcut(runPlan: () => void): void {
  // One listener for the screen's life; it calls whichever runPlan is current.
  const runPlanRef = useRef(runPlan);
  useEffect(() => {
    runPlanRef.current = runPlan;
  }, [runPlan]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        runPlanRef.current();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
