import { UserInputError, type UserProblem } from '../errors.js';
import { loadCatalog, selectSuites, suiteVocabulary } from '../suite/catalog.js';
import { buildSuite } from '../suite/load-suite.js';
import { builtInProfileIds, loadProfile } from '../suite/profile.js';
import { loadRequirementRegistry } from '../suite/requirements.js';
import { loadTargetFile } from '../suite/target.js';
import { readYamlFile } from '../suite/yaml-file.js';
import { loadFailureCauses } from './explain-command.js';
import { parseOptions } from './main.js';

/**
 * Validates the bundled suites and profiles, and every file named on the command line (suite, target
 * or profile, told apart by their `schema:` line). All problems are printed, each with its position.
 */
export function validateCommand(args: string[]): number {
  const { positionals } = parseOptions(args, {}, true);
  const problems: UserProblem[] = [];
  const collect = (work: () => void) => {
    try {
      work();
    } catch (error) {
      if (error instanceof UserInputError) problems.push(...error.problems);
      else throw error;
    }
  };
  let checked = 0;
  collect(() => {
    const catalog = loadCatalog();
    checked += catalog.length;
    for (const id of builtInProfileIds()) {
      selectSuites(catalog, loadProfile(id));
      checked++;
    }
  });
  collect(() => {
    loadFailureCauses(loadRequirementRegistry());
    checked++;
  });
  for (const path of positionals) {
    collect(() => {
      const file = readYamlFile(path);
      const schema = (file.value as { schema?: unknown } | null)?.schema;
      checked++;
      if (schema === 'mcp-conformance/suite/v1') buildSuite(file, suiteVocabulary());
      else if (schema === 'mcp-conformance/target/v1') loadTargetFile(path);
      else if (schema === 'mcp-conformance/profile/v1') selectSuites(loadCatalog(), loadProfile(path));
      else {
        problems.push({
          message:
            'unknown file kind: "schema" must be mcp-conformance/suite/v1, mcp-conformance/target/v1 or mcp-conformance/profile/v1',
          position: file.locate(['schema']),
        });
      }
    });
  }
  if (problems.length) throw new UserInputError(problems);
  process.stdout.write(`${checked} files valid\n`);
  return 0;
}
