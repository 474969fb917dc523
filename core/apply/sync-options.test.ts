import { describe, expect, it } from 'vitest';
import type { ApplyOptions, UpdateOptions } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { Change } from '../plan/types.js';
import type { ClusterPort } from './cluster-port.js';
import { prunePropagation, replaceDeleteOptions, sendObject } from './sync-options.js';

const key = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' };
const change = (action: Change['action'], syncOptions?: string[]): Change => ({ key, action, flags: [], changedPaths: [], liveResourceVersion: '42', ...(syncOptions && { syncOptions }) });
const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'shop' }, data: { a: '1' } } as KubeObject;

/** A port that records apply and update calls; apply refuses a manifest with `bogus` as server-side apply does. */
function recorder(): { port: ClusterPort; calls: string[] } {
  const calls: string[] = [];
  const port = {
    apply: async (obj: KubeObject, opts: ApplyOptions) => {
      calls.push(`apply ${opts.fieldValidation} ${'bogus' in obj ? 'with bogus' : 'without bogus'}`);
      if ('bogus' in obj) throw new KubeError('invalid', 'ConfigMap shop/a is invalid: .bogus: field not declared in schema', { context: 'test', server: 'https://test' });
      return obj;
    },
    update: async (obj: KubeObject, opts?: UpdateOptions) => {
      calls.push(`update ${opts?.fieldManager} ${opts?.fieldValidation} rv=${obj.metadata.resourceVersion}`);
      return obj;
    },
  } as unknown as ClusterPort;
  return { port, calls };
}

describe('sendObject', () => {
  it.each<[string, Change, KubeObject, string[]]>([
    ['server-side apply, strict', change('update'), manifest, ['apply Strict without bogus']],
    ['Validate=false: validation off', change('create', ['Validate=false']), manifest, ['apply Ignore without bogus']],
    ['Validate=false: a field the schema does not declare is left out', change('create', ['Validate=false']), { ...manifest, bogus: 1 } as KubeObject, ['apply Ignore with bogus', 'apply Ignore without bogus']],
    ['Replace=true: an update (PUT) guarded by the planned resourceVersion', change('update', ['Replace=true']), manifest, ['update slipway Strict rv=42']],
    ['Replace=true and Validate=false', change('update', ['Validate=false', 'Replace=true']), manifest, ['update slipway Ignore rv=42']],
    ["Replace=true's create is an apply", change('create', ['Replace=true']), manifest, ['apply Strict without bogus']],
    ["a replace's create is an apply", change('replace', ['Replace=true', 'Force=true']), manifest, ['apply Strict without bogus']],
  ])('%s', async (_name, c, obj, calls) => {
    const r = recorder();
    await sendObject(r.port, obj, c, { fieldManager: 'slipway' });
    expect(r.calls).toEqual(calls);
  });

  it('without Validate=false an unknown field fails', async () => {
    await expect(sendObject(recorder().port, { ...manifest, bogus: 1 } as KubeObject, change('create'), { fieldManager: 'slipway' })).rejects.toThrow('field not declared in schema');
  });
});

describe('delete options', () => {
  it.each<[string[] | undefined, object]>([
    [undefined, { propagationPolicy: 'Foreground' }],
    [['Replace=true', 'Force=true'], { propagationPolicy: 'Background', gracePeriodSeconds: 0 }],
  ])('a replace with %j', (options, expected) => {
    expect(replaceDeleteOptions(change('replace', options))).toEqual(expected);
  });

  it.each<[string[] | undefined, string]>([
    [undefined, 'Background'],
    [['PrunePropagationPolicy=foreground'], 'Foreground'],
    [['Prune=confirm', 'PrunePropagationPolicy=orphan'], 'Orphan'],
    [['PrunePropagationPolicy=sideways'], 'Background'],
  ])('a prune with %j', (options, expected) => {
    expect(prunePropagation(change('delete', options))).toBe(expected);
  });
});
