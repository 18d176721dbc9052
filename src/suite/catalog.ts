import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checks } from '../checks/index.js';
import { DISCOVERY_NAMES } from '../engine/discovery.js';
import { DOCUMENT_HOST_NAMES } from '../engine/document-host.js';
import { TARGET_NAMES } from '../engine/run-context.js';
import { UserInputError, type UserProblem } from '../errors.js';
import { packagePath, packageRoot } from '../package-root.js';
import { loadSuiteFile, type SuiteVocabulary } from './load-suite.js';
import type { Suite } from './model.js';
import type { Profile } from './profile.js';
import { loadRequirementRegistry } from './requirements.js';

export interface CatalogEntry {
  suite: Suite;
  absolutePath: string;
}

export function suiteVocabulary(): SuiteVocabulary {
  const registry = loadRequirementRegistry();
  return {
    requirementIds: new Set(registry.requirements.keys()),
    checkNames: new Set(checks.keys()),
    contextNames: new Set<string>([
      ...TARGET_NAMES,
      ...DISCOVERY_NAMES.map((name) => `discovery.${name}`),
      ...DOCUMENT_HOST_NAMES,
    ]),
    specs: new Set(registry.specs.keys()),
  };
}

function findSuiteFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.suite.yaml'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Loads and validates every suite under `directory` (default: the bundled suites/), all problems at once.
 * A valid catalogue is kept in a cache file named after everything that shapes it (see `catalogKey`),
 * so a later run with the same suites skips parsing and validating them.
 */
export function loadCatalog(directory = packagePath('suites')): CatalogEntry[] {
  const files = findSuiteFiles(directory);
  const cacheFile = join(CACHE_DIRECTORY, `catalog-${catalogKey(files)}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as CatalogEntry[];
  } catch {
    // not cached yet (or unreadable): load it
  }
  const entries = loadSuites(files);
  writeCache(cacheFile, entries);
  return entries;
}

const CACHE_DIRECTORY = join(tmpdir(), 'mcp-conformance-cache');

/**
 * What a loaded catalogue depends on: the suite files, the files they are validated against (the
 * requirement registry, spec links, the suite schema), the loader's own code, the names the code
 * offers to suites, and the working directory (file names in positions are relative to it).
 */
function catalogKey(files: string[]): string {
  const hash = createHash('sha256');
  const add = (text: string | Buffer) => hash.update(text).update('\0');
  add(process.cwd());
  const suiteCode = dirname(fileURLToPath(import.meta.url));
  const inputs = [
    ...files,
    packagePath('suites', 'requirements.yaml'),
    packagePath('config', 'spec-links.yaml'),
    packagePath('config', 'schemas', 'suite.v1.json'),
    ...readdirSync(suiteCode).map((name) => join(suiteCode, name)),
  ];
  for (const file of inputs) {
    add(file);
    add(readFileSync(file));
  }
  add(JSON.stringify([...checks.keys(), ...TARGET_NAMES, ...DISCOVERY_NAMES, ...DOCUMENT_HOST_NAMES]));
  return hash.digest('hex').slice(0, 32);
}

/** Catalogues not written again for this long are dropped when another one is written. */
const CACHE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Keeps the catalogue in its cache file (written whole, then renamed) and drops stale ones; best effort. */
function writeCache(file: string, entries: CatalogEntry[]): void {
  try {
    mkdirSync(CACHE_DIRECTORY, { recursive: true });
    for (const old of readdirSync(CACHE_DIRECTORY)) {
      const path = join(CACHE_DIRECTORY, old);
      if (old.startsWith('catalog-') && Date.now() - statSync(path).mtimeMs > CACHE_LIFETIME_MS)
        rmSync(path, { force: true });
    }
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(entries));
    renameSync(partial, file);
  } catch {
    // a cache that cannot be written only costs the next run the parsing
  }
}

function loadSuites(files: string[]): CatalogEntry[] {
  const vocabulary = suiteVocabulary();
  const problems: UserProblem[] = [];
  const entries: CatalogEntry[] = [];
  const ids = new Map<string, string>();
  for (const absolutePath of files) {
    const display = relative(process.cwd(), absolutePath).startsWith('..')
      ? relative(packageRoot, absolutePath)
      : relative(process.cwd(), absolutePath);
    try {
      const suite = loadSuiteFile(absolutePath, vocabulary, display);
      const other = ids.get(suite.id);
      if (other)
        problems.push({
          message: `suite id "${suite.id}" is also used by ${other}`,
          position: suite.position,
        });
      ids.set(suite.id, display);
      entries.push({ suite, absolutePath });
    } catch (error) {
      if (error instanceof UserInputError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length) throw new UserInputError(problems);
  return entries;
}

/**
 * The suites to run, with the profile's severity overrides applied: the profile's suites, or — with
 * `only` — exactly those suite ids from the catalogue, whether or not the profile lists them.
 */
export function selectSuites(catalog: CatalogEntry[], profile: Profile, only?: string[]): CatalogEntry[] {
  const byId = new Map(catalog.map((entry) => [entry.suite.id, entry]));
  const problems: UserProblem[] = [];
  profile.suites.forEach((id, index) => {
    if (!byId.has(id))
      problems.push({ message: `unknown suite "${id}"`, position: profile.file.locate(['suites', index]) });
  });
  for (const qualified of Object.keys(profile.severity)) {
    const [suiteId, assertionId] = qualified.split('/');
    const suite = byId.get(suiteId!)?.suite;
    if (!suite?.steps.some((step) => step.expect.some((a) => a.id === assertionId))) {
      problems.push({
        message: `unknown assertion "${qualified}"`,
        position: profile.file.locate(['severity', qualified], { key: true }),
      });
    }
  }
  for (const id of only ?? [])
    if (!byId.has(id)) problems.push({ message: `--suite: unknown suite "${id}"` });
  if (problems.length) throw new UserInputError(problems);
  return (only ?? profile.suites)
    .map((id) => byId.get(id)!)
    .map(({ suite, absolutePath }) => ({
      absolutePath,
      suite: {
        ...suite,
        steps: suite.steps.map((step) => ({
          ...step,
          expect: step.expect.map((assertion) => ({
            ...assertion,
            severity: profile.severity[`${suite.id}/${assertion.id}`] ?? assertion.severity,
          })),
        })),
      },
    }));
}
