import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface FaultsReport {
  cleanFailures: string[];
  cleanAssertions: number;
  faults: { fault: string; caught: boolean; mustCatch: { id: string; outcome: string }[] }[];
  detectionRate: number;
}

// The compiled faults runner in a child process: it starts the real reference target once clean and
// once per fault, and runs the suites through vitest's Node API, which does not nest in a worker.
describe('fault injection', () => {
  it('catches every fault and reports nothing on the clean reference', { timeout: 900_000 }, async () => {
    const { stdout } = await run(process.execPath, ['scripts/faults.js', '--json'], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout) as FaultsReport;
    expect(report.cleanFailures).toEqual([]);
    expect(report.cleanAssertions).toBeGreaterThanOrEqual(60);
    expect(report.faults.length).toBeGreaterThanOrEqual(12);
    const missed = report.faults
      .filter((f) => !f.caught)
      .map((f) => ({ fault: f.fault, mustCatch: f.mustCatch }));
    expect(missed).toEqual([]);
    expect(report.detectionRate).toBe(1);
  });
});
