// The small pure rules of normalising, table-driven: ids, links, text, dates,
// and where JSON breaks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { titleKey } from '../../src/identity.ts';
import { pageDate, parseDateLine } from '../../src/ingest/formats/papers-page-text.ts';
import { findJsonError, lineColumn } from '../../src/ingest/json.ts';
import { scanJson } from '../../src/ingest/json-items.ts';
import { arxivIdFrom, cleanText, repoUrl, titleId } from '../../src/ingest/normalise.ts';
import { shorten } from '../../src/text.ts';
import { httpUrl } from '../../src/urls.ts';

test('arxivIdFrom: every spelling of an arXiv id, without version', () => {
  const table: [string, string | null][] = [
    ['2401.01234', '2401.01234'],
    ['2401.01234v2', '2401.01234'],
    ['arXiv:2503.12345v11', '2503.12345'],
    ['0704.0001', '0704.0001'],
    ['http://arxiv.org/abs/2401.01234v2', '2401.01234'],
    ['https://arxiv.org/pdf/2401.01234v2.pdf', '2401.01234'],
    ['https://export.arxiv.org/abs/2401.01234', '2401.01234'],
    ['http://arxiv.org/abs/hep-th/9901001v1', 'hep-th/9901001'],
    ['math.GT/0309136', 'math.GT/0309136'],
    ['cs/0112017v1', 'cs/0112017'],
    ['2401.123', null],
    ['not-an-id', null],
    ['http://arxiv.org/api/errors#incorrect_id_format_for_2611.9', null],
    ['', null],
  ];
  for (const [raw, expected] of table) assert.equal(arxivIdFrom(raw), expected, raw);
});

test('httpUrl keeps only absolute http(s) URLs; repoUrl expands owner/name', () => {
  const table: [unknown, string | null][] = [
    ['https://example.org/a', 'https://example.org/a'],
    [' http://example.org ', 'http://example.org/'],
    ['javascript:alert(1)', null],
    ['mailto:a@example.org', null],
    ['/relative/path', null],
    ['ftp://example.org/file', null],
    ['https://', null],
    [42, null],
    [null, null],
  ];
  for (const [raw, expected] of table) assert.equal(httpUrl(raw), expected, String(raw));
  assert.equal(repoUrl('owner/name'), 'https://github.com/owner/name');
  assert.equal(repoUrl('owner/name.git'), 'https://github.com/owner/name');
  assert.equal(repoUrl('https://gitlab.com/a/b'), 'https://gitlab.com/a/b');
  assert.equal(repoUrl('javascript:void(0)'), null);
});

test('cleanText removes control characters, collapses wraps, keeps markup as text', () => {
  const table: [string, string][] = [
    ['A title\n  wrapped', 'A title wrapped'],
    ['\tTabs\r\nand CRLF  ', 'Tabs and CRLF'],
    ['Bell\u0007 and \u001b[31mescape\u0000', 'Bell and [31mescape'],
    ['C1\u0085control\u009f', 'C1control'],
    ['<script>alert(1)</script> {{constructor}}', '<script>alert(1)</script> {{constructor}}'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['emoji 🧪 stays', 'emoji 🧪 stays'],
  ];
  for (const [raw, expected] of table) assert.equal(cleanText(raw), expected, JSON.stringify(raw));
});

test('shorten cuts on a word boundary with an ellipsis, and only when needed', () => {
  assert.equal(shorten('short', 10), 'short');
  const cut = shorten('alpha beta gamma delta epsilon', 20);
  assert.ok(cut.length <= 20, cut);
  assert.equal(cut, 'alpha beta gamma…');
  assert.equal(shorten('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
});

test('titleKey and titleId: spelling, case, punctuation and Unicode forms do not matter', () => {
  const a = 'Sparse Ledger: Auditing the Tool Calls of Language Agents';
  const variants = [
    'sparse ledger — auditing the tool calls of language agents',
    'SPARSE LEDGER: AUDITING THE TOOL CALLS OF\n  LANGUAGE AGENTS',
    'Ｓparse Ledger: Auditing the Tool-Calls of Language Agents.',
  ];
  assert.equal(titleKey(a), 'sparse ledger auditing the tool calls of language agents');
  for (const variant of variants) assert.equal(titleId(titleKey(variant)), titleId(titleKey(a)), variant);
  assert.match(titleId(titleKey(a)), /^title:[0-9a-f]{16}$/);
  assert.notEqual(titleId(titleKey('Another paper')), titleId(titleKey(a)));
});

test('date lines of the papers page, and the year they fall in', () => {
  assert.deepEqual(parseDateLine('Mar 14'), { month: 2, day: 14, year: null });
  assert.deepEqual(parseDateLine('March 14, 2025'), { month: 2, day: 14, year: 2025 });
  assert.deepEqual(parseDateLine('Sept 3'), { month: 8, day: 3, year: null });
  for (const notDate of ['Feb 30', 'Mar 0', 'Mixture-of-Mamba', 'Mar 14 papers', 'Subscribe']) {
    assert.equal(parseDateLine(notDate), null, notDate);
  }
  const november = new Date('2026-11-20T12:00:00Z');
  assert.equal(pageDate({ month: 2, day: 14, year: null }, november), '2026-03-14T00:00:00.000Z');
  // A December page read in January belongs to the year before.
  const january = new Date('2027-01-05T09:00:00Z');
  assert.equal(pageDate({ month: 11, day: 30, year: null }, january), '2026-12-30T00:00:00.000Z');
  assert.equal(pageDate({ month: 11, day: 30, year: 2020 }, january), '2020-12-30T00:00:00.000Z');
});

test('findJsonError names the first place that is not JSON', () => {
  const table: [string, number, RegExp][] = [
    ['[{"a": 1}, {"b":', 16, /expected a value/],
    ['{"a" 1}', 5, /":"/],
    ['[1,2,]', 5, /unexpected "\]"/],
    ['{"a":\n tru}', 7, /unexpected "t"/],
    ['["abc', 5, /not closed/],
    ['{"a": 1} trailing', 9, /after the end/],
    ['{"a": "x\ny"}', 8, /control character/],
  ];
  for (const [text, offset, problem] of table) {
    const found = findJsonError(text);
    assert.equal(found.offset, offset, text);
    assert.match(found.problem, problem, text);
  }
  assert.deepEqual(lineColumn('ab\ncd\nef', 7), { line: 3, column: 2 });
  assert.deepEqual(lineColumn('abc', 0), { line: 1, column: 1 });
});

test('scanJson splits a top-level array into item texts, or declines so the whole parse can explain', () => {
  const table: [string, string[] | null][] = [
    ['[]', []],
    ['  [ ]  ', []],
    ['[1, "two", {"a": [3, {"b": "]},["}]}, null]', ['1', ' "two"', ' {"a": [3, {"b": "]},["}]}', ' null']],
    [
      '[{"q": "say \\"hi\\", then [leave]"}, {"p": "back\\\\"}]',
      ['{"q": "say \\"hi\\", then [leave]"}', ' {"p": "back\\\\"}'],
    ],
    ['[1,]', ['1', '']],
    ['[1, 2', null],
    ['[1, "open', null],
    ['[1] trailing', null],
    ['{"a": 1}', null],
    ['[1}', null],
  ];
  for (const [text, expected] of table) assert.deepEqual(scanJson(text).items, expected, text);
  // Every slice of a real array parses to the same item JSON.parse gives.
  const items = [{ paper: { id: '2611.00001', title: 'a [b] {c}', summary: 'x\n"y"' } }, [1, [2]], 'z'];
  const slices = scanJson(JSON.stringify(items, null, 2)).items ?? [];
  assert.deepEqual(
    slices.map((slice) => JSON.parse(slice)),
    items,
  );
});
