// `npm run bench`: runs every benchmark and prints one line per figure, with the
// floor the issues set. Benchmarks report ratios where they can: the machines are
// shared and noisy, so a ratio of two runs measured together is what carries over.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One measured figure. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The figure the issue asks for; `ok` says whether `value` reaches it. */
  floor?: number;
  ok?: boolean;
  detail?: string;
}

/** Formats a result as one line: `ok   name: value unit (floor …) detail`. */
export function formatResult(result: BenchResult): string {
  const verdict = result.ok === undefined ? '    ' : result.ok ? 'ok  ' : 'FAIL';
  const value = Number.isInteger(result.value) ? String(result.value) : result.value.toFixed(2);
  const floor = result.floor === undefined ? '' : ` (floor ${result.floor})`;
  return `${verdict} ${result.name}: ${value} ${result.unit}${floor}${result.detail ? ` — ${result.detail}` : ''}`;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const available = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();
const unknown = only.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}`);
  process.exit(2);
}
const names = available.filter((name) => only.length === 0 || only.includes(name));

let failed = 0;
for (const name of names) {
  const module = (await import(`./${name}.ts`)) as { run?: () => Promise<BenchResult[]> };
  if (typeof module.run !== 'function') continue;
  console.log(`# ${name}`);
  for (const result of await module.run()) {
    console.log(formatResult(result));
    if (result.ok === false) failed += 1;
  }
}
if (failed > 0) {
  console.log(`${failed} figure(s) below their floor`);
  process.exitCode = 1;
}
