// The report of one source before anything is read: every count zero, no problem.
import type { SourceReport } from './types.ts';

/** A report for `source` that has read, stored and rejected nothing yet. */
export function emptySourceReport(source: string): SourceReport {
  return {
    source,
    format: null,
    new: 0,
    updated: 0,
    rejected: 0,
    rejections: [],
    warnings: [],
    problem: null,
  };
}
