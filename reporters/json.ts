import type { RunReport } from '../src/runner/run-report.js';

/** results.json: the documented, stable contract (README, "results.json"). */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
