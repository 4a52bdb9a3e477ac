// Child process for the concurrency test: waits until a shared start time, then
// freezes the edition and prints [status, paper ids].
import { freezeEdition } from '../../src/edition/index.ts';
import { openStore } from '../../src/store/index.ts';

const [dbPath, startAt] = process.argv.slice(2);
const store = openStore(dbPath!);
// Sleep until just before the start (spinning all the wait burnt two seconds of CPU per
// child), then spin the last moments so both processes reach the transaction together.
const wakeAt = Number(startAt) - 20;
if (wakeAt > Date.now()) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wakeAt - Date.now());
while (Date.now() < Number(startAt)) {
  // spin
}
const result = freezeEdition(store, '2026-W48', new Date('2026-11-23T08:00:00Z'));
const ids = result.status === 'nothing-new' ? '' : result.edition.papers.map((p) => p.paper.id).join(',');
process.stdout.write(`${JSON.stringify([result.status, ids])}\n`);
store.close();
