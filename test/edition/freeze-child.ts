// Child process for the concurrency test: waits until a shared start time, then
// freezes the edition and prints [status, paper ids].
import { freezeEdition } from '../../src/edition/index.ts';
import { openStore } from '../../src/store/index.ts';

const [dbPath, startAt] = process.argv.slice(2);
const store = openStore(dbPath!);
while (Date.now() < Number(startAt)) {
  // Spin so both processes reach the transaction at the same moment.
}
const result = freezeEdition(store, '2026-W48', new Date('2026-11-23T08:00:00Z'));
const ids = result.status === 'nothing-new' ? '' : result.edition.papers.map((p) => p.paper.id).join(',');
process.stdout.write(`${JSON.stringify([result.status, ids])}\n`);
store.close();
