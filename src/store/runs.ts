// The `runs` table behind the weekly job's RunLog.
import type Database from 'better-sqlite3';
import type { Clock } from '../clock.ts';
import { COMPLETED_STATUSES, CYCLE_KINDS, type RunLog, type RunRecord } from '../schedule/runs.ts';

interface RunRow extends Omit<RunRecord, 'summary'> {
  summary: string | null;
}

const SELECT = `SELECT id, kind, started_at AS startedAt, finished_at AS finishedAt, edition_id AS editionId,
  status, summary, error, error_hint AS hint FROM runs`;

function toRecord(row: RunRow | undefined): RunRecord | null {
  if (!row) return null;
  return { ...row, summary: row.summary === null ? null : JSON.parse(row.summary) };
}

/** The run log of `db`, stamped by `clock`. */
export function createRunLog(db: Database.Database, clock: Clock): RunLog {
  const stamp = (): string => clock().toISOString();
  const kinds = CYCLE_KINDS.map(() => '?').join(', ');
  const statuses = COMPLETED_STATUSES.map(() => '?').join(', ');
  return {
    start(kind) {
      const result = db
        .prepare("INSERT INTO runs (kind, started_at, status) VALUES (?, ?, 'running')")
        .run(kind, stamp());
      return Number(result.lastInsertRowid);
    },
    finish(id, end) {
      db.prepare(
        'UPDATE runs SET finished_at = ?, status = ?, edition_id = ?, summary = ?, error = ?, error_hint = ? WHERE id = ?',
      ).run(
        stamp(),
        end.status,
        end.editionId ?? null,
        end.summary === undefined ? null : JSON.stringify(end.summary),
        end.error ?? null,
        end.error ? (end.hint ?? null) : null,
        id,
      );
    },
    abandonUnfinished() {
      return db
        .prepare(
          "UPDATE runs SET status = 'abandoned', finished_at = ?, error = ?, error_hint = ? WHERE status = 'running'",
        )
        .run(
          stamp(),
          'the process running it ended before it finished (killed or crashed)',
          'Nothing is lost: the next send or run resumes the edition where it stopped.',
        ).changes;
    },
    get: (id) => toRecord(db.prepare(`${SELECT} WHERE id = ?`).get(id) as RunRow | undefined),
    list: () => (db.prepare(`${SELECT} ORDER BY id`).all() as RunRow[]).map((row) => toRecord(row)!),
    last: () => toRecord(db.prepare(`${SELECT} ORDER BY id DESC LIMIT 1`).get() as RunRow | undefined),
    lastOf: (of) =>
      toRecord(
        db
          .prepare(`${SELECT} WHERE kind IN (${of.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT 1`)
          .get(...of) as RunRow | undefined,
      ),
    lastWithError: () =>
      toRecord(
        db.prepare(`${SELECT} WHERE error IS NOT NULL ORDER BY id DESC LIMIT 1`).get() as RunRow | undefined,
      ),
    lastCompletedCycle: () =>
      toRecord(
        db
          .prepare(
            `${SELECT} WHERE kind IN (${kinds}) AND status IN (${statuses}) ORDER BY started_at DESC, id DESC LIMIT 1`,
          )
          .get(...CYCLE_KINDS, ...COMPLETED_STATUSES) as RunRow | undefined,
      ),
  };
}
