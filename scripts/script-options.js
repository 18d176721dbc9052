// The command-line options of the project's scripts (bench, zoo): parsed with node:util, a mistake
// printed with the usage line and exit code 2, --help printed with exit code 0.
import { parseArgs } from 'node:util';

/** The parsed option values; exits the process on a mistake or on --help. */
export function scriptOptions(options, usage) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}
