/**
 * A separate process that hammers a disk cache file, for core/disk-cache's process test:
 *   write <file> <who> <startAt> <ms>   from the time startAt (epoch ms; so that writers started one
 *                                       after another overlap) for ms milliseconds, rounds of: write
 *                                       50 entries in one batch (25 shared by every writer, 25 its
 *                                       own), read the shared ones back. Prints JSON { rounds, wrong,
 *                                       skipped, available } — values read that are not what any
 *                                       writer writes, reads that found nothing — then "DONE".
 */
import { DiskCache } from '../../core/disk-cache/disk-cache.js';

const [mode, file, who = 'a', startAt = '0', ms = '1000'] = process.argv.slice(2);
if (mode !== 'write' || !file) throw new Error('usage: disk-cache-child.ts write <file> <who> <startAt> <ms>');

/** What every writer writes under a shared key: the same bytes for the same key, as content-addressed entries are. */
const sharedValue = (i: number): string => `shared value ${i} `.repeat(200);

const cache = new DiskCache(file, { maxBytes: 64 * 1024 * 1024 });
while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 5));
const end = Date.now() + Number(ms);
let rounds = 0;
let wrong = 0;
let skipped = 0;
while (Date.now() < end) {
  const entries: [string, string][] = [];
  for (let i = 0; i < 25; i++) entries.push([`shared-${i}`, sharedValue(i)]);
  for (let i = 0; i < 25; i++) entries.push([`${who}-${rounds}-${i}`, `${who} ${rounds} ${i} `.repeat(100)]);
  cache.putMany('test/1', entries);
  const read = cache.getMany('test/1', entries.slice(0, 25).map(([k]) => k));
  for (let i = 0; i < 25; i++) {
    const v = read.get(`shared-${i}`);
    if (v === undefined) skipped++;
    else if (v !== sharedValue(i)) wrong++;
  }
  rounds++;
}
const available = cache.available;
cache.close();
process.stdout.write(`${JSON.stringify({ rounds, wrong, skipped, available })}\nDONE\n`);
