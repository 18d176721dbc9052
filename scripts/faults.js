#!/usr/bin/env node
// Runs every fault of fixtures/faults against the reference target and prints which assertions
// caught it, then the detection rate. Exit 1 unless every fault is caught and the clean reference
// has no failures. Needs a build (npm run build). Usage: node scripts/faults.js [--json] [NAME...]
import { runFaults } from '../dist/fixtures/faults/run-faults.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.filter((a) => !a.startsWith('--'));
const report = await runFaults({
  ...(only.length ? { only } : {}),
  onFault: (o) => {
    if (json) return;
    const mark = o.caught ? 'caught' : 'MISSED';
    process.stdout.write(
      `${mark.padEnd(7)} ${o.fault.padEnd(36)} ${o.profile.padEnd(15)} ${(o.durationMs / 1000).toFixed(1)} s\n`,
    );
    for (const m of o.mustCatch)
      process.stdout.write(`          ${m.caught ? '✓' : '✗'} ${m.id} → ${m.outcome}\n`);
    if (o.alsoFailed.length) process.stdout.write(`          also: ${o.alsoFailed.join(', ')}\n`);
  },
});
if (json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const caught = report.faults.filter((f) => f.caught).length;
  process.stdout.write(
    `\nclean reference: ${report.cleanAssertions} assertions, ${report.cleanFailures.length} unexpected failures\n`,
  );
  for (const failure of report.cleanFailures) process.stdout.write(`  ${failure}\n`);
  process.stdout.write(
    `detection rate: ${caught}/${report.faults.length} faults caught (${(report.detectionRate * 100).toFixed(0)} %)\n`,
  );
}
process.exitCode = report.detectionRate === 1 && report.cleanFailures.length === 0 ? 0 : 1;
