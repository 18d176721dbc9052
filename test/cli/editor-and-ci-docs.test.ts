/**
 * What the README promises editors and CI systems: the `$schema` line of every bundled YAML file
 * points at the schema the package ships, the VS Code setting names real files, and the CI examples
 * run a command line the CLI accepts, with secrets from CI variables and the reports uploaded.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startReferenceTarget } from '../../fixtures/reference/index.js';
import { RUN_USAGE } from '../../src/cli/main.js';
import { writeReferenceTargetFile } from '../runner/reference-target-file.js';
import { runCli } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function yamlFiles(directory: string): string[] {
  return readdirSync(join(root, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe('editor support', () => {
  // every bundled file the CLI validates against a schema says which in its `schema:` key
  const files = [
    ...yamlFiles('suites'),
    ...yamlFiles('config/profiles'),
    'config/examples/target.example.yaml',
  ];

  it('gives every suite, profile, the registry and the example target a first-line $schema comment to the shipped schema', () => {
    expect(files.filter((file) => file.endsWith('.suite.yaml')).length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const kind = /^schema: mcp-conformance\/([a-z]+)\/v1$/m.exec(text)?.[1];
      expect(kind, file).toBeDefined();
      const comment = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
      expect(comment, `${file}: first line`).not.toBeNull();
      const schema = resolve(dirname(join(root, file)), comment![1]!);
      expect(relative(root, schema), file).toBe(`config/schemas/${kind}.v1.json`);
      expect(existsSync(schema), file).toBe(true);
    }
  });

  it('ships the schemas and the CI examples in the package', () => {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];
    const paths = new Set(packed[0]!.files.map((file) => file.path));
    const schemas = readdirSync(join(root, 'config/schemas')).map((name) => `config/schemas/${name}`);
    expect(schemas.length).toBeGreaterThanOrEqual(5);
    for (const path of [
      ...schemas,
      'config/examples/target.example.yaml',
      'config/examples/ci/github-actions.yml',
      'config/examples/ci/gitlab-ci.yml',
    ])
      expect(paths.has(path), path).toBe(true);
  });

  it('shows a VS Code setting whose schema paths exist in the installed package', () => {
    const block = /```json\n(\{\n {2}"yaml\.schemas"[\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const settings = JSON.parse(block![1]!) as { 'yaml.schemas': Record<string, string[]> };
    const paths = Object.keys(settings['yaml.schemas']);
    expect(paths).toContain('./node_modules/mcp-conformance/config/schemas/target.v1.json');
    for (const path of paths) {
      expect(path.startsWith('./node_modules/mcp-conformance/'), path).toBe(true);
      expect(existsSync(join(root, path.slice('./node_modules/mcp-conformance/'.length))), path).toBe(true);
    }
  });
});

/** The words of a folded `npx mcp-conformance run ...` command line. */
function runArguments(command: string): string[] {
  const words = command.trim().split(/\s+/);
  expect(words.slice(0, 3)).toEqual(['npx', 'mcp-conformance', 'run']);
  return words.slice(3);
}

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function checkRunArguments(args: string[]): void {
  for (const flag of args.filter((word) => word.startsWith('--')))
    expect(RUN_USAGE, `${flag} is a run option`).toMatch(new RegExp(`^ {2}${flag}\\b`, 'm'));
  expect(optionValue(args, '--target')).toBeDefined();
  expect(optionValue(args, '--reporter')?.split(',')).toContain('junit');
  expect(optionValue(args, '--out')).toBeDefined();
}

describe('CI examples', () => {
  const example = readFileSync(join(root, 'config/examples/target.example.yaml'), 'utf8');
  const exampleSecrets = [...example.matchAll(/^\s+client_\w+: \$\{env:(\w+)\}$/gm)].map((m) => m[1]!);

  it('names both examples in the README, with the exit codes', () => {
    expect(readme).toContain('config/examples/ci/');
    expect(readme).toContain('`github-actions.yml`');
    expect(readme).toContain('`gitlab-ci.yml`');
    expect(readme).toMatch(/\| 0 {4}\| nothing gating failed/);
    expect(readme).toMatch(/\| 1 {4}\| the target broke something/);
    expect(readme).toMatch(/\| 2 {4}\| a usage or configuration error/);
  });

  it('GitHub Actions: runs with secrets from the repository secrets and uploads the reports', () => {
    const workflow = parse(readFileSync(join(root, 'config/examples/ci/github-actions.yml'), 'utf8')) as {
      jobs: Record<
        string,
        {
          steps: {
            run?: string;
            uses?: string;
            if?: string;
            env?: Record<string, string>;
            with?: Record<string, unknown>;
          }[];
        }
      >;
    };
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const run = steps.find((step) => step.run?.startsWith('npx mcp-conformance run'))!;
    const args = runArguments(run.run!);
    checkRunArguments(args);
    expect(exampleSecrets.length).toBeGreaterThanOrEqual(2);
    for (const name of exampleSecrets) expect(run.env?.[name]).toBe(`\${{ secrets.${name} }}`);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe(`\${{ !cancelled() }}`);
    expect(upload.with?.path).toBe(`${optionValue(args, '--out')}/`);
  });

  it('GitLab CI: runs with secrets from CI/CD variables, keeps the reports and reads junit.xml', () => {
    const pipeline = parse(readFileSync(join(root, 'config/examples/ci/gitlab-ci.yml'), 'utf8')) as Record<
      string,
      {
        script: string[];
        variables?: Record<string, string>;
        artifacts: { when: string; paths: string[]; reports: { junit: string } };
      }
    >;
    const job = pipeline['mcp-conformance']!;
    const command = job.script.find((line) => line.startsWith('npx mcp-conformance run'))!;
    const args = runArguments(command);
    checkRunArguments(args);
    // CI/CD variables reach the job as environment variables: none is written into the file
    expect(job.variables).toBeUndefined();
    const out = optionValue(args, '--out')!;
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.paths).toEqual([`${out}/`]);
    expect(job.artifacts.reports.junit).toBe(`${out}/junit.xml`);
  });

  it("runs the examples' command line against a reference target and writes what they upload", async () => {
    const workflow = readFileSync(join(root, 'config/examples/ci/github-actions.yml'), 'utf8');
    const run = (parse(workflow) as { jobs: Record<string, { steps: { run?: string }[] }> }).jobs;
    const args = runArguments(
      Object.values(run)[0]!.steps.find((step) => step.run?.startsWith('npx mcp-conformance run'))!.run!,
    );
    const target = await startReferenceTarget();
    const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-ci-example-'));
    try {
      const file = writeReferenceTargetFile(work, target, { expectedFailures: true });
      const withTarget = args.map((word, index) => (args[index - 1] === '--target' ? file.path : word));
      const result = await runCli(['run', ...withTarget], { cwd: work, env: file.env });
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.code, result.stderr).toBe(0);
      expect(readdirSync(join(work, optionValue(args, '--out')!)).sort()).toEqual([
        'exchanges.har',
        'junit.xml',
        'report.html',
        'results.json',
      ]);
    } finally {
      await target.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
