import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgressReporter, progressBar } from '../../src/cli/present/progress.ts';
import type { DeliveryProgress } from '../../src/deliver/index.ts';

const at = (sent: number, total = 10): DeliveryProgress => ({
  editionId: 'e',
  total,
  sent,
  failed: 0,
  deferred: 0,
});

test('the bar shows how far the send is', () => {
  assert.equal(progressBar(at(0)), `[${'.'.repeat(30)}] 0/10  sent 0  failed 0`);
  assert.equal(progressBar(at(5)), `[${'#'.repeat(15)}${'.'.repeat(15)}] 5/10  sent 5  failed 0`);
  assert.equal(
    progressBar({ ...at(8), failed: 1, deferred: 1 }),
    `[${'#'.repeat(30)}] 10/10  sent 8  failed 1  deferred 1`,
  );
});

test('not on a terminal: a plain line every interval, nothing in between', () => {
  let now = 0;
  const lines: string[] = [];
  const reporter = createProgressReporter({
    isTTY: false,
    write: () => assert.fail('no raw writes off a terminal'),
    writeLine: (line) => lines.push(line),
    intervalMs: 5000,
    now: () => now,
  });
  for (let sent = 1; sent <= 10; sent++) {
    now += 1200;
    reporter.update(at(sent));
  }
  reporter.done();
  assert.deepEqual(lines, ['progress: 5/10  sent 5  failed 0', 'progress: 10/10  sent 10  failed 0']);
});

test('on a terminal: one line redrawn in place, finished with a newline', () => {
  let now = 0;
  const writes: string[] = [];
  const reporter = createProgressReporter({
    isTTY: true,
    write: (text) => writes.push(text),
    writeLine: () => assert.fail('no separate lines on a terminal'),
    now: () => now,
  });
  for (let sent = 1; sent <= 3; sent++) {
    now += 150;
    reporter.update(at(sent, 3));
  }
  reporter.done();
  assert.ok(writes.every((text) => text.startsWith('\r')));
  assert.ok(writes.at(-1)?.endsWith('3/3  sent 3  failed 0\n'));
});
