import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type SourcePosition, UserInputError, type UserProblem } from '../errors.js';

/** A parsed YAML file that can say where any value in it came from. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** Position of the value at `path`; `key: true` points at the mapping key instead of its value. */
  locate(path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition;
}

/** Reads and parses a YAML file; syntax errors and duplicate keys become positioned user errors. */
export function readYamlFile(file: string, displayName = file): YamlFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'cannot be read';
    throw new UserInputError(`${displayName}: ${reason}`, { cause: error });
  }
  return parseYamlText(text, displayName);
}

export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    merge: true,
  });
  const problems: UserProblem[] = document.errors.map((error) => {
    const offset = error.pos[0];
    const { line, col } = lineCounter.linePos(offset);
    const message = error.code === 'DUPLICATE_KEY' ? 'duplicate key' : firstLine(error.message);
    return { message: `invalid YAML: ${message}`, position: { file, line, column: col } };
  });
  if (problems.length > 0) throw new UserInputError(problems);

  const positionOf = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return {
    file,
    value: document.toJS({ maxAliasCount: 100 }),
    locate(path, options = {}) {
      let node: unknown = document.contents;
      let keyNode: unknown;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && scalarValue(item.key) === segment);
          if (!pair) break;
          keyNode = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
          keyNode = undefined;
          node = node.items[segment];
        } else {
          break;
        }
      }
      const target = (options.key && keyNode ? keyNode : node) as Node | undefined;
      const range = target?.range ?? (document.contents as Node | null)?.range;
      return positionOf(range?.[0] ?? 0);
    },
  };
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
