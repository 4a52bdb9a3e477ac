// The local Hugging Face and arXiv APIs of the weekly benchmark, run as their own process so
// their CPU is not charged to the run being measured. Given the ISO week (argv[2]) and its
// Monday (argv[3], YYYY-MM-DD), it serves 500 Daily Papers of that week (100 a weekday) plus
// 20 of the Friday before, and 100 cs.CL submissions of the week (50 of them also on Daily
// Papers), then sends `{ type: 'listening', hf, arxiv }` to its parent over IPC.
import { type ArxivPaper, startArxivApi } from '../../test/helpers/arxiv-api.ts';
import { type HfDays, startHfApi, syntheticItems } from '../../test/helpers/hf-api.ts';

const DAY_MS = 86_400_000;
const [, , week, monday] = process.argv;
if (!week || !monday) throw new Error('usage: _api-servers.ts WEEK MONDAY');
const day = (offset: number): string =>
  new Date(Date.parse(`${monday}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);

const days: HfDays = { [day(-3)]: syntheticItems(day(-3), 20, 90_000) };
for (let weekday = 0; weekday < 5; weekday++) {
  days[day(weekday)] = syntheticItems(day(weekday), 100, 10_000 + weekday * 1_000);
}
const hfIds = Object.entries(days)
  .filter(([date]) => date >= monday)
  .flatMap(([, items]) => items.map((item) => item.paper.id));
const papers: ArxivPaper[] = Array.from({ length: 100 }, (_, i) => ({
  // The first 50 are Daily Papers too: one paper each, from two sources.
  id: i < 50 ? hfIds[i * 7]! : `2699.${String(i).padStart(5, '0')}`,
  published: `${day(i % 7)}T${String(8 + (i % 12)).padStart(2, '0')}:00:00Z`,
  categories: ['cs.CL'],
  title: `A cs.CL submission of ${week}, number ${i}`,
  summary: 'An abstract of a few sentences, as arXiv gives it, with its line wraps.\n'.repeat(5),
  authors: ['A. Author', 'B. Author'],
}));

const hf = await startHfApi(undefined, { days });
const arxiv = await startArxivApi(undefined, { papers });
process.send?.({ type: 'listening', hf: hf.url, arxiv: arxiv.url });
process.on('disconnect', () => {
  void Promise.all([hf.close(), arxiv.close()]).then(() => process.exit(0));
});
