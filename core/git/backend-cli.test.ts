import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { CatFileBatch, type BatchProtocol } from './backend-cli.js';

// Starting a short-lived Node process with the backend: backend-cli.process.test.ts (tooling project).
let t: TestRepo;
beforeAll(() => {
  t = createTestRepo({ prefix: 'slipway-catfile-' });
  t.write({ 'a.yaml': 'a: 1\n', 'big.bin': Buffer.alloc(3 * 1024 * 1024 + 7, 0x61), 'empty.txt': '' });
  t.commit('files');
});
afterAll(() => {
  t.cleanup();
});

describe.each<BatchProtocol>(['plain', 'command'])('CatFileBatch (%s protocol)', (protocol) => {
  it('answers pipelined requests in order: large, empty and missing objects', async () => {
    const batch = new CatFileBatch(join(t.dir, '.git'), protocol);
    try {
      const big = t.git('rev-parse', 'HEAD:big.bin');
      const empty = t.git('rev-parse', 'HEAD:empty.txt');
      const a = t.git('rev-parse', 'HEAD:a.yaml');
      const [x, y, z, missing] = await Promise.all([batch.read(big), batch.read(empty), batch.read(a), batch.read('0'.repeat(40))]);
      expect([x?.type, x?.content.byteLength]).toEqual(['blob', 3 * 1024 * 1024 + 7]);
      expect(x?.content.every((b) => b === 0x61)).toBe(true);
      expect([y?.type, y?.content.byteLength]).toEqual(['blob', 0]);
      expect(new TextDecoder().decode(z?.content)).toBe('a: 1\n');
      expect(missing).toBeNull();
    } finally {
      await batch.close();
    }
  });

  it('answers requests made on later ticks, and after a missing object', async () => {
    const batch = new CatFileBatch(join(t.dir, '.git'), protocol);
    try {
      const a = t.git('rev-parse', 'HEAD:a.yaml');
      expect(await batch.read('1'.repeat(40))).toBeNull();
      for (let i = 0; i < 3; i++) expect((await batch.read(a))?.type).toBe('blob');
    } finally {
      await batch.close();
    }
  });

  it.each(['HEAD', 'a'.repeat(39), `${'a'.repeat(40)}\nHEAD`])('refuses %j: only full object ids reach the process', async (oid) => {
    const batch = new CatFileBatch(join(t.dir, '.git'), protocol);
    try {
      await expect(batch.read(oid)).rejects.toThrow(/not a full object id/);
    } finally {
      await batch.close();
    }
  });

});
