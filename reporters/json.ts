import type { RunCoverage } from '../src/runner/run-coverage.js';
import type { RunReport } from '../src/runner/run-report.js';

/** results.json: the run's report and its requirement matrix. */
export interface ResultsFile extends RunReport {
  coverage: RunCoverage;
}

/** results.json: the documented, stable contract (README, "results.json"). */
export function renderJson(report: RunReport, coverage: RunCoverage): string {
  const file: ResultsFile = { ...report, coverage };
  return `${JSON.stringify(file, null, 2)}\n`;
}
