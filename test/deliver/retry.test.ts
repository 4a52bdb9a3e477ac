import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs } from '../../src/deliver/retry.ts';

test('the retry backoff doubles from about 1 s, is capped at 60 s, and jitters by at most 20 %', () => {
  const expected = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000];
  for (let retry = 1; retry <= expected.length; retry++) {
    const base = expected[retry - 1]!;
    for (let sample = 0; sample < 50; sample++) {
      const delay = backoffDelayMs(retry);
      assert.ok(
        delay >= base * 0.8 && delay <= base * 1.2,
        `retry ${retry}: ${delay} ms is not ${base} ms ± 20 %`,
      );
    }
  }
});
