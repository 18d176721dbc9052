import type { ResultEntry, RunReport } from '../src/runner/run-report.js';

/**
 * JUnit XML: one testsuite per suite, one testcase per assertion, classname = suite id. Failed and
 * errored assertions carry expected and actual, in the message (Jenkins shows it) and in the text
 * (GitLab shows only that); skipped ones their reason; requirement ids, severity and outcome are
 * testcase properties. test/reporters/junit.xsd is the shape CI systems read, checked in a test.
 */
export function renderJunit(report: RunReport): string {
  const bySuite = new Map<string, ResultEntry[]>();
  for (const result of report.results) {
    const list = bySuite.get(result.suite) ?? [];
    list.push(result);
    bySuite.set(result.suite, list);
  }
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (list: ResultEntry[], test: (r: ResultEntry) => boolean) => list.filter(test).length;
  const isFailure = (r: ResultEntry) => r.outcome === 'failed' && !r.expectedFailure;
  const all = report.results;
  lines.push(
    `<testsuites name="mcp-conformance" tests="${all.length}" failures="${count(all, isFailure)}" errors="${count(all, (r) => r.outcome === 'error')}" skipped="${count(all, (r) => r.outcome === 'skipped')}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}">`,
  );
  for (const [suite, results] of bySuite) {
    lines.push(
      `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${count(results, isFailure)}" errors="${count(results, (r) => r.outcome === 'error')}" skipped="${count(results, (r) => r.outcome === 'skipped')}"${suiteTime(report, suite)}>`,
    );
    for (const result of results) lines.push(...testcase(result));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(result: ResultEntry): string[] {
  const position = /^(.*):(\d+):\d+$/.exec(result.location);
  const file = position ? ` file="${xml(position[1]!)}" line="${position[2]}"` : '';
  const lines = [`    <testcase classname="${xml(result.suite)}" name="${xml(result.id)}"${file}>`];
  lines.push('      <properties>');
  for (const requirement of result.requirements)
    lines.push(`        <property name="requirement" value="${xml(requirement)}"/>`);
  lines.push(`        <property name="severity" value="${result.severity}"/>`);
  lines.push(`        <property name="outcome" value="${result.outcome}"/>`);
  lines.push(`        <property name="location" value="${xml(result.location)}"/>`);
  if (result.expectedFailure)
    lines.push(`        <property name="expected-failure" value="${xml(result.expectedFailure)}"/>`);
  lines.push('      </properties>');
  const details = [
    `${result.location}: ${result.message}`,
    ...(result.expected !== undefined ? [`expected: ${JSON.stringify(result.expected)}`] : []),
    ...(result.actual !== undefined ? [`actual: ${JSON.stringify(result.actual)}`] : []),
    `hint: ${result.hint}`,
  ].join('\n');
  if (result.outcome === 'failed' && !result.expectedFailure) {
    lines.push(
      `      <failure message="${xml(failureMessage(result))}" type="${result.severity}">${xml(details)}</failure>`,
    );
  } else if (result.outcome === 'error') {
    lines.push(
      `      <error message="${xml(failureMessage(result))}" type="evaluation">${xml(details)}</error>`,
    );
  } else if (result.outcome === 'skipped') {
    lines.push(`      <skipped message="${xml(result.message)}"/>`);
  } else if (result.outcome !== 'passed') {
    const heading = result.expectedFailure
      ? `${result.outcome}, an expected failure: ${result.expectedFailure}`
      : result.outcome;
    lines.push(`      <system-out>${xml(`${heading}\n${details}`)}</system-out>`);
  }
  lines.push('    </testcase>');
  return lines;
}

/** Longest rendering of an expected or actual value in a message attribute; the text has it whole. */
const MESSAGE_VALUE_LIMIT = 200;

/** The message with expected and actual, for readers that show only the message attribute. */
function failureMessage(result: ResultEntry): string {
  const parts = [
    ...(result.expected !== undefined ? [`expected ${shorten(JSON.stringify(result.expected))}`] : []),
    ...(result.actual !== undefined ? [`actual ${shorten(JSON.stringify(result.actual))}`] : []),
  ];
  return parts.length ? `${result.message} (${parts.join(', ')})` : result.message;
}

function shorten(text: string | undefined): string {
  const value = text ?? 'undefined';
  return value.length > MESSAGE_VALUE_LIMIT ? `${value.slice(0, MESSAGE_VALUE_LIMIT)}…` : value;
}

function suiteTime(report: RunReport, suite: string): string {
  const ms = report.suiteDurations[suite];
  return ms === undefined ? '' : ` time="${seconds(ms)}"`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function xml(text: string): string {
  return (
    text
      // XML 1.0 forbids most control characters even when escaped; a hostile server may send them
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the characters XML allows
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/gu, '\uFFFD')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}
