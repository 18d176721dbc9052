import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder, found from both src/ (tests) and dist/src/ (the installed CLI). */
export const packageRoot: string = (() => {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json')) || directory.endsWith('dist')) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('mcp-conformance: cannot find its own package.json');
    directory = parent;
  }
  return directory;
})();

export const packagePath = (...segments: string[]): string => join(packageRoot, ...segments);
