import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/errors.js';
import { packagePath } from '../../src/package-root.js';
import { loadCatalog } from '../../src/suite/catalog.js';

describe('the suite catalogue cache', () => {
  const directory = mkdtempSync(join(tmpdir(), 'catalog-cache-'));
  const file = join(directory, 'rfc9728.suite.yaml');
  cpSync(packagePath('suites', 'rfc9728', 'protected-resource-metadata.suite.yaml'), file);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('gives a later load the same catalogue without parsing again', () => {
    const first = loadCatalog(directory);
    const second = loadCatalog(directory);
    expect(second).not.toBe(first);
    expect(second).toEqual(JSON.parse(JSON.stringify(first)));
    expect(second[0]?.suite.steps.length).toBeGreaterThan(0);
    // the second load came from a cache file holding this directory's catalogue
    const cacheDirectory = join(tmpdir(), 'mcp-conformance-cache');
    const cached = readdirSync(cacheDirectory)
      .filter((name) => name.startsWith('catalog-') && name.endsWith('.json'))
      .map((name) => readFileSync(join(cacheDirectory, name), 'utf8'));
    expect(cached.some((text) => text.includes(JSON.stringify(file).slice(1, -1)))).toBe(true);
  });

  it('sees an edited suite file at once', () => {
    const before = loadCatalog(directory);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^title: .*$/m, 'title: edited title'));
    const after = loadCatalog(directory);
    expect(after[0]?.suite.title).toBe('edited title');
    expect(before[0]?.suite.title).not.toBe('edited title');
    writeFileSync(file, text);
  });

  it('never keeps a catalogue with problems: each load reports them', () => {
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^title: .*$/m, 'title: [unclosed'));
    expect(() => loadCatalog(directory)).toThrow(UserInputError);
    expect(() => loadCatalog(directory)).toThrow(UserInputError);
    writeFileSync(file, text);
  });
});
