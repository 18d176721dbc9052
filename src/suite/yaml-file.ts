import { readFileSync } from 'node:fs';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
  type YAMLError,
} from 'yaml';
import { type SourcePosition, UserInputError, type UserProblem } from '../errors.js';

/** A parsed YAML file that can say where any value in it came from. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** Position of the value at `path`; `key: true` points at the mapping key instead of its value. */
  locate(path: readonly (string | number)[], options?: { key?: boolean }): SourcePosition;
}

/**
 * Suites, targets and profiles are hand-written: the largest bundled file is under 100 KiB. A file
 * far beyond that is a mistake (a log, a dump), and parsing a huge YAML document takes seconds.
 */
export const MAX_YAML_FILE_BYTES = 1024 * 1024;
/** Copies an alias may make when the document becomes data: enough for real files, not for a "billion laughs". */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads and parses a YAML file whose top level is a mapping (every suite, target, profile and
 * registry file is one); syntax errors, duplicate keys and files that are not YAML text at all
 * become positioned user errors.
 */
export function readYamlFile(file: string, displayName = file): YamlFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new UserInputError(`${displayName}: ${reason}`, { cause: error });
  }
  const atStart = { file: displayName, line: 1, column: 1 };
  if (bytes.byteLength > MAX_YAML_FILE_BYTES) {
    throw new UserInputError([
      {
        message: `the file is ${(bytes.byteLength / (1024 * 1024)).toFixed(1)} MiB; suite, target and profile files are limited to 1 MiB`,
        position: atStart,
      },
    ]);
  }
  const text = decodeText(bytes, displayName);
  const parsed = parseYamlText(text, displayName);
  const kind =
    parsed.value === null || parsed.value === undefined
      ? 'the file is empty'
      : Array.isArray(parsed.value)
        ? 'the file holds a list'
        : typeof parsed.value !== 'object'
          ? 'the file holds a single value'
          : undefined;
  if (kind) {
    throw new UserInputError([
      { message: `${kind}; expected a mapping with a "schema" key`, position: parsed.locate([]) },
    ]);
  }
  return parsed;
}

/** The file's text, if it is UTF-8 text; a binary file gets one positioned problem instead. */
function decodeText(bytes: Buffer, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    throw new UserInputError([
      {
        message: 'not UTF-8 text: invalid byte sequence (a binary file?)',
        position: positionIn(lossy, Math.max(0, lossy.indexOf('\uFFFD')), file),
      },
    ]);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new UserInputError([
      { message: 'not a text file: it holds a NUL byte', position: positionIn(text, nul, file) },
    ]);
  }
  return text;
}

function positionIn(text: string, offset: number, file: string): SourcePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { file, line: before.split('\n').length, column: offset - lineStart + 1 };
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
  const positionOf = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const problems: UserProblem[] = [];
  const seen = new Set<string>();
  const report = (message: string, offset: number) => {
    const position = positionOf(offset);
    // one problem per place: the parser often explains one mistake twice
    const key = `${position.line}:${position.column}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({ message: `invalid YAML: ${message}`, position });
  };
  for (const error of document.errors) {
    const explained = explainError(error, document, positionOf);
    report(explained.message, explained.offset);
  }
  if (problems.length > 0) throw new UserInputError(problems);

  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // an alias without its anchor, or aliases that multiply (a "billion laughs"), only fail when the
    // document becomes data: find the alias to blame
    let first: number | undefined;
    visit(document, {
      Alias(_, alias) {
        const offset = alias.range?.[0] ?? 0;
        first ??= offset;
        if (!alias.resolve(document))
          report(`unknown alias "*${alias.source}": no anchor "&${alias.source}" before it`, offset);
      },
    });
    if (problems.length === 0) {
      const reason = /excessive alias count/i.test((error as Error).message)
        ? `aliases expand to more than ${MAX_ALIAS_COUNT} copies`
        : firstLine((error as Error).message);
      report(reason, first ?? 0);
    }
    throw new UserInputError(problems, { cause: error });
  }

  return {
    file,
    value,
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

/**
 * The parser's message and offset, made to point at the mistake rather than where the parser gave
 * up: the opening quote of a string that never closes, the key that is repeated (naming it and its
 * first use).
 */
function explainError(
  error: YAMLError,
  document: ReturnType<typeof parseDocument>,
  positionOf: (offset: number) => SourcePosition,
): { message: string; offset: number } {
  const offset = error.pos[0];
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      let message = 'duplicate key';
      visit(document, {
        Map(_, map) {
          const index = map.items.findIndex((pair) => (pair.key as Node | null)?.range?.[0] === offset);
          if (index < 0) return undefined;
          const name = scalarValue(map.items[index]!.key);
          const first = map.items.find((pair) => scalarValue(pair.key) === name);
          const firstAt = (first?.key as Node | null)?.range?.[0];
          message = `duplicate key "${String(name)}"${firstAt !== undefined ? ` (first at line ${positionOf(firstAt).line})` : ''}`;
          return visit.BREAK;
        },
      });
      return { message, offset };
    }
    case 'MISSING_CHAR': {
      const quote = /closing (["'])/.exec(error.message)?.[1];
      if (!quote) break;
      let opening: number | undefined;
      visit(document, {
        Scalar(_, scalar) {
          const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
          if (quoted && scalar.range && scalar.range[1] >= offset) opening ??= scalar.range[0];
        },
      });
      return opening === undefined
        ? { message: firstLine(error.message), offset }
        : { message: `this quoted string has no closing ${quote}`, offset: opening };
    }
    case 'BAD_INDENT': {
      // "Flow sequence in block collection must be sufficiently indented and end with a ]": name
      // where the unclosed collection opened, the parser's position being the line after it
      const flow = /^Flow (sequence|map) /.exec(error.message)?.[1];
      if (!flow) break;
      let opening: number | undefined;
      visit(document, {
        Seq(_, seq) {
          if (flow === 'sequence' && seq.flow && seq.range && seq.range[1] >= offset) opening = seq.range[0];
        },
        Map(_, map) {
          if (flow === 'map' && map.flow && map.range && map.range[1] >= offset) opening = map.range[0];
        },
      });
      if (opening === undefined) break;
      const { line, column } = positionOf(opening);
      return {
        message: `the flow ${flow} opened with "${flow === 'sequence' ? '[' : '{'}" at line ${line}, column ${column} is not closed with "${flow === 'sequence' ? ']' : '}'}" (or its next line is not indented enough)`,
        offset,
      };
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      // "Nested mappings are not allowed in compact mappings": a value with ": " in it, or a line
      // indented so deep that it continues the value above
      return {
        message:
          'a plain value cannot contain ": " (quote the value, or indent the next line like its sibling keys)',
        offset,
      };
    case 'MULTIPLE_DOCS':
      return {
        message: 'a second YAML document starts here ("---"); a file holds one suite, target or profile',
        offset,
      };
  }
  return { message: firstLine(error.message), offset };
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : isAlias(node) ? `*${node.source}` : node;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
