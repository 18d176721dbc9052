/**
 * junit.xml of a real run against a reference target this test owns, given without the reference's
 * expected failures so that its known findings are real <failure> elements. The file is validated by
 * libxml2 (xmllint-wasm, no native install) against test/reporters/junit.xsd, the JUnit shape CI
 * systems read, and then read back for what those systems show: properties, reasons, expected/actual.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { type ReferenceTarget, startReferenceTarget } from '../../fixtures/reference/index.js';
import type { ResultEntry, RunReport } from '../../src/runner/run-report.js';
import { type CliResult, runCli } from '../cli/run-cli.js';
import { writeReferenceTargetFile } from '../runner/reference-target-file.js';

const SCHEMA = readFileSync(new URL('./junit.xsd', import.meta.url), 'utf8');

async function validate(document: string) {
  return validateXML({
    xml: [{ fileName: 'junit.xml', contents: document }],
    schema: [{ fileName: 'junit.xsd', contents: SCHEMA }],
    // a few MiB of XML; the default 32 MiB of wasm memory is enough, with room to grow
    maxMemoryPages: 4096,
  });
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

interface TestCase {
  attributes: Record<string, string>;
  properties: [string, string][];
  /** the result element, if any: skipped, failure or error */
  result?: { kind: string; attributes: Record<string, string>; text: string };
  systemOut?: string;
}

function attributesOf(tag: string): Record<string, string> {
  return Object.fromEntries(
    [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, unescapeXml(m[2]!)] as const),
  );
}

/** Reads the reporter's own output back; the schema has already vouched for its shape. */
function testcases(junit: string): Map<string, TestCase> {
  const cases = new Map<string, TestCase>();
  for (const match of junit.matchAll(/<testcase\b([^>]*)>([\s\S]*?)<\/testcase>/g)) {
    const attributes = attributesOf(match[1]!);
    const body = match[2]!;
    const properties = [...body.matchAll(/<property\b([^>]*)\/>/g)].map((m) => {
      const a = attributesOf(m[1]!);
      return [a.name!, a.value!] as [string, string];
    });
    const result =
      /<(skipped|failure|error)\b([^>]*?)\/>/.exec(body) ??
      /<(skipped|failure|error)\b([^>]*)>([\s\S]*?)<\/\1>/.exec(body);
    const out = /<system-out>([\s\S]*?)<\/system-out>/.exec(body);
    cases.set(`${attributes.classname}/${attributes.name}`, {
      attributes,
      properties,
      ...(result
        ? {
            result: {
              kind: result[1]!,
              attributes: attributesOf(result[2]!),
              text: unescapeXml(result[3] ?? ''),
            },
          }
        : {}),
      ...(out ? { systemOut: unescapeXml(out[1]!) } : {}),
    });
  }
  return cases;
}

describe('junit.xml of a real run, against the JUnit schema CI systems read', () => {
  let target: ReferenceTarget;
  let work: string;
  let run: CliResult;
  let junit: string;
  let report: RunReport;
  let cases: Map<string, TestCase>;

  beforeAll(async () => {
    target = await startReferenceTarget();
    work = mkdtempSync(join(tmpdir(), 'mcp-conformance-junit-'));
    const file = writeReferenceTargetFile(work, target, { expectedFailures: false });
    const out = join(work, 'report');
    run = await runCli(['run', '--target', file.path, '--reporter', 'junit,json', '--out', out], {
      env: file.env,
    });
    junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    report = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunReport;
    cases = testcases(junit);
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const withOutcome = (outcome: ResultEntry['outcome']) =>
    report.results.filter((r) => r.outcome === outcome && !r.expectedFailure);
  const caseOf = (result: ResultEntry) => {
    const found = cases.get(`${result.suite}/${result.id}`);
    if (!found) throw new Error(`no testcase for ${result.suite}/${result.id}`);
    return found;
  };

  it('ran into the reference servers known findings, so there are failures to render', () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1);
    expect(withOutcome('failed').length).toBeGreaterThan(2);
    expect(withOutcome('skipped').length).toBeGreaterThan(0);
    expect(cases.size).toBe(report.results.length);
  });

  it('is valid against the schema', async () => {
    const result = await validate(junit);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the schema refuses documents CI systems would misread', async () => {
    const firstSkipped = junit.indexOf('<skipped ');
    const broken: Record<string, string> = {
      'a count that is no number': junit.replace(/(<testsuite [^>]*?failures=")\d+"/, '$1many"'),
      'a property without a value': junit.replace(/(<property name="severity") value="[a-z]+"/, '$1'),
      'a testcase with two results': `${junit.slice(0, firstSkipped)}<failure message="x">x</failure>${junit.slice(firstSkipped)}`,
      'properties after the result': junit.replace(
        /(<properties>[\s\S]*?<\/properties>)(\s*)(<skipped [^>]*\/>)/,
        '$3$2$1',
      ),
      'a testcase without a name': junit.replace(/(<testcase classname="[^"]*") name="[^"]*"/, '$1'),
    };
    for (const [what, document] of Object.entries(broken)) {
      expect(document, what).not.toBe(junit);
      const result = await validate(document);
      expect(result.valid, what).toBe(false);
      expect(result.errors.length, what).toBeGreaterThan(0);
    }
  });

  it('totals agree with results.json, per run and per suite', () => {
    const root = attributesOf(/<testsuites\b([^>]*)>/.exec(junit)![1]!);
    expect(Number(root.tests)).toBe(report.results.length);
    expect(Number(root.failures)).toBe(withOutcome('failed').length);
    expect(Number(root.errors)).toBe(report.summary.error);
    expect(Number(root.skipped)).toBe(report.summary.skipped);
    for (const match of junit.matchAll(/<testsuite\b([^>]*)>/g)) {
      const suite = attributesOf(match[1]!);
      const results = report.results.filter((r) => r.suite === suite.name);
      expect(Number(suite.tests), suite.name).toBe(results.length);
      expect(Number(suite.skipped), suite.name).toBe(results.filter((r) => r.outcome === 'skipped').length);
      expect(Number(suite.time), suite.name).toBeGreaterThanOrEqual(0);
    }
  });

  it('gives every testcase its requirement ids, severity, outcome and location as properties', () => {
    for (const result of report.results) {
      const testcase = caseOf(result);
      expect(testcase.properties.filter(([name]) => name === 'requirement').map(([, v]) => v)).toEqual(
        result.requirements,
      );
      expect(testcase.properties).toContainEqual(['severity', result.severity]);
      expect(testcase.properties).toContainEqual(['outcome', result.outcome]);
      expect(testcase.properties).toContainEqual(['location', result.location]);
      const [file, line] = result.location.split(':');
      expect(testcase.attributes.file).toBe(file);
      expect(testcase.attributes.line).toBe(line);
    }
  });

  it('carries expected and actual in each failure message and its text', () => {
    const failed = withOutcome('failed');
    // not vacuous: the known findings compare values
    expect(failed.filter((r) => r.expected !== undefined && r.actual !== undefined).length).toBeGreaterThan(
      1,
    );
    for (const result of failed) {
      const testcase = caseOf(result);
      expect(testcase.result?.kind, result.id).toBe('failure');
      const { message } = testcase.result!.attributes;
      expect(message?.startsWith(result.message), result.id).toBe(true);
      for (const [label, value] of [
        ['expected', result.expected],
        ['actual', result.actual],
      ] as const) {
        if (value === undefined) continue;
        const json = JSON.stringify(value);
        expect(testcase.result!.text, `${result.id} text`).toContain(`\n${label}: ${json}\n`);
        expect(message, `${result.id} message`).toContain(`${label} ${json.slice(0, 200)}`);
      }
      expect(testcase.result!.text.startsWith(`${result.location}: ${result.message}`)).toBe(true);
      expect(testcase.result!.text).toContain(`hint: ${result.hint}`);
    }
  });

  it('gives each skipped testcase its reason, and passed ones no result element', () => {
    for (const result of withOutcome('skipped')) {
      const testcase = caseOf(result);
      expect(testcase.result?.kind).toBe('skipped');
      expect(testcase.result?.attributes.message).toBe(result.message);
      expect(result.message.length).toBeGreaterThan(10);
    }
    for (const result of withOutcome('passed')) expect(caseOf(result).result).toBeUndefined();
  });

  it('notes warnings and infos in system-out, with no failure element', () => {
    const noted = [...withOutcome('warning'), ...withOutcome('info')];
    expect(noted.length).toBeGreaterThan(0);
    for (const result of noted) {
      const testcase = caseOf(result);
      expect(testcase.result).toBeUndefined();
      expect(testcase.systemOut?.startsWith(`${result.outcome}\n${result.location}: ${result.message}`)).toBe(
        true,
      );
    }
  });
});
