/**
 * A separate process that uses the history database, for core/history tests:
 *   crash <db>                    starts a run, records one object, prints "RUN <id>", then waits to be killed
 *   write <db> <app> <n>          n runs of <app>, each with two object results, then prints "DONE"
 */
import { openHistory } from '../../core/history/history.js';
import { deployment, testPlan } from './history-fixtures.js';

const [mode, db, app = 'web', count = '1'] = process.argv.slice(2);
if (!db) throw new Error('usage: history-child.ts crash|write <db> [app] [n]');
const history = openHistory({ path: db });

if (mode === 'crash') {
  const runId = history.startRun({ plan: testPlan({ app }), kind: 'apply', user: { kube: 'crasher' } });
  history.recordObjectResult(runId, { key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: app }, action: 'update', outcome: 'applied', before: deployment(app, 1), after: deployment(app, 2) });
  process.stdout.write(`RUN ${runId}\n`);
  setInterval(() => undefined, 1000);
} else if (mode === 'write') {
  for (let i = 0; i < Number(count); i++) {
    const runId = history.startRun({ plan: testPlan({ app, commit: String(i).padStart(40, '0') }), kind: 'apply', user: { kube: app } });
    history.recordObjectResult(runId, { key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'shared' }, action: 'update', outcome: 'applied', message: `${app} ${i}`, after: deployment('shared', i) });
    history.recordObjectResult(runId, { key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'shared' }, action: 'update', outcome: 'healthy' });
    history.finishRun(runId, { status: 'succeeded' });
  }
  history.close();
  process.stdout.write('DONE\n');
} else {
  throw new Error(`unknown mode ${mode ?? ''}`);
}
