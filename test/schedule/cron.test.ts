import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.ts';
import { isPaperwireError } from '../../src/errors.ts';
import {
  formatScheduleTime,
  nextRunTime,
  previousRunTime,
  scheduleSpec,
  scheduleZone,
} from '../../src/schedule/cron.ts';

const spec = (schedule: string, scheduleTz: string | null = 'UTC') => scheduleSpec({ schedule, scheduleTz });

test('an invalid SCHEDULE is E_CONFIG naming SCHEDULE', () => {
  for (const schedule of ['61 * * * *', 'every monday', '* * *', '0 8 * * 9', '0 25 * * *']) {
    assert.throws(
      () => spec(schedule),
      (error: unknown) =>
        isPaperwireError(error, 'E_CONFIG') && error.message.startsWith('SCHEDULE=') && Boolean(error.hint),
      schedule,
    );
  }
});

test('an unknown SCHEDULE_TZ is E_CONFIG naming SCHEDULE_TZ', () => {
  for (const zone of ['Mars/Olympus', 'Europe/Berlinn', 'GMT+25']) {
    assert.throws(
      () => spec('0 8 * * 1', zone),
      (error: unknown) => isPaperwireError(error, 'E_CONFIG') && error.message.startsWith('SCHEDULE_TZ='),
      zone,
    );
  }
});

test('the default schedule (Mondays 08:00, system zone) is valid', () => {
  const config = loadConfig({}, '/tmp');
  const checked = scheduleSpec(config);
  assert.equal(checked.expression, '0 8 * * 1');
  assert.equal(checked.timezone, undefined);
  assert.equal(scheduleZone(checked), Intl.DateTimeFormat().resolvedOptions().timeZone);
});

test('the previous run of a weekly schedule is last Monday 08:00 in the given zone', () => {
  // Friday 27 Nov 2026, 21:00 UTC → Monday 23 Nov 08:00 in Berlin is 07:00 UTC.
  const now = new Date('2026-11-27T21:00:00Z');
  assert.equal(
    previousRunTime(spec('0 8 * * 1', 'Europe/Berlin'), now)?.toISOString(),
    '2026-11-23T07:00:00.000Z',
  );
  assert.equal(
    previousRunTime(spec('0 8 * * 1', 'America/New_York'), now)?.toISOString(),
    '2026-11-23T13:00:00.000Z',
  );
  // On Monday at exactly 08:00 the time counts as passed; one second earlier it is last week's.
  assert.equal(
    previousRunTime(spec('0 8 * * 1'), new Date('2026-11-30T08:00:00Z'))?.toISOString(),
    '2026-11-30T08:00:00.000Z',
  );
  assert.equal(
    previousRunTime(spec('0 8 * * 1'), new Date('2026-11-30T07:59:59Z'))?.toISOString(),
    '2026-11-23T08:00:00.000Z',
  );
});

test('previous runs with seconds, ranges and DST', () => {
  const now = new Date('2026-11-27T12:34:56.789Z');
  assert.equal(previousRunTime(spec('* * * * * *'), now)?.toISOString(), '2026-11-27T12:34:56.000Z');
  assert.equal(previousRunTime(spec('*/20 * * * * *'), now)?.toISOString(), '2026-11-27T12:34:40.000Z');
  assert.equal(previousRunTime(spec('15 30 9 * * 1-5'), now)?.toISOString(), '2026-11-27T09:30:15.000Z');
  // Sunday 29 Mar 2026: Berlin skips 02:00–03:00; a daily 01:30 run lands at 00:30 UTC that day.
  assert.equal(
    previousRunTime(spec('30 1 * * *', 'Europe/Berlin'), new Date('2026-03-29T12:00:00Z'))?.toISOString(),
    '2026-03-29T00:30:00.000Z',
  );
});

test('a schedule with no time in the look-back window has no previous run', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  assert.equal(previousRunTime(spec('0 0 1 1 *'), now), null);
  assert.equal(previousRunTime(spec('0 8 * * 1'), now, 60 * 60 * 1000), null);
});

test('the next run is in the future and matches the schedule', () => {
  const next = nextRunTime(spec('0 8 * * 1', 'Europe/Berlin'));
  assert.ok(next && next.getTime() > Date.now());
  assert.match(
    formatScheduleTime(next, spec('0 8 * * 1', 'Europe/Berlin')),
    /^Mon \d{4}-\d\d-\d\d 08:00:00 Europe\/Berlin$/,
  );
  // and the previous run seen from just after it is that very time
  assert.equal(
    previousRunTime(spec('0 8 * * 1', 'Europe/Berlin'), new Date(next.getTime() + 1000))?.getTime(),
    next.getTime(),
  );
});
