import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConformanceError, UserInputError } from '../errors.js';
import { coverageCommand } from './coverage-command.js';
import { explainCommand } from './explain-command.js';
import { listCommand } from './list-command.js';
import { validateCommand } from './validate-command.js';

const USAGE = `Usage: mcp-conformance <command> [options]

Commands:
  run        Run the conformance suites against a target (default: the embedded reference target)
  list       List the suites and assertions a profile runs
  validate   Check suite, target and profile files without running anything
  coverage   Show which requirement ids the suites cover, per spec
  explain    Explain an assertion or requirement id: meaning, severity per profile, spec links, fix
  init       Write a commented target file from discovery (init --url https://host/mcp)
  merge      Merge the reports of sharded runs (merge DIR... --out DIR)

Run "mcp-conformance <command> --help" for a command's options.

Exit codes: 0 no failures, 1 failures, 2 usage or configuration error.
`;

export const RUN_USAGE = `Usage: mcp-conformance run [options]

Target (pick one; with neither, the embedded reference target is started):
  --target FILE        a target file (see config/examples/target.example.yaml)
  --url URL            an MCP server URL alone; its authorization server is discovered
  --ca FILE            extra CA certificates (PEM) to trust, e.g. for a private PKI

Selection:
  --profile ID|FILE    profile to run (default mcp-2025-11-25; see "list --profiles")
  --suite IDS          only these suites (comma-separated ids)
  --grep REGEX         only assertions whose "suite/assertion" id matches
  --shard I/N          run shard I of N (vitest sharding)

Output:
  --reporter LIST      console,junit,json,html (default: all four)
  --har                also write every HTTP exchange as exchanges.har (HAR 1.2)
  --verbose            print every HTTP exchange (redacted) to stderr as it happens, like curl -v
  --out DIR            where reports go (default conformance-report/)
  --fail-on LEVEL      failure (default) or warning: the lowest outcome that makes the exit code 1
  --baseline FILE      expected failures (with reasons) that do not fail the run; an entry that
                       passes fails it as stale
  --write-baseline FILE  write this run's failures and warnings as a baseline
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': {
        // loaded on demand: vitest and the reference target are only needed to run
        const { runCommand } = await import('./run-command.js');
        return await runCommand(rest);
      }
      case 'list':
        return listCommand(rest);
      case 'validate':
        return validateCommand(rest);
      case 'coverage':
        return coverageCommand(rest);
      case 'explain':
        return explainCommand(rest);
      case 'init': {
        const { initCommand } = await import('./init-command.js');
        return await initCommand(rest);
      }
      case 'merge': {
        const { mergeCommand } = await import('./merge-command.js');
        return mergeCommand(rest);
      }
      case '--version':
      case '-v': {
        const { toolVersion } = await import('../runner/run-conformance.js');
        process.stdout.write(`${toolVersion}\n`);
        return 0;
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UserInputError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UserInputError) {
      process.stderr.write(`mcp-conformance: ${error.message.split('\n').join('\nmcp-conformance: ')}\n`);
      return 2;
    }
    if (error instanceof ConformanceError) {
      process.stderr.write(`mcp-conformance: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** node:util parseArgs with its errors turned into user errors (no stack traces for a typo). */
export function parseOptions<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UserInputError((error as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}
