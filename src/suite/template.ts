/**
 * Templates are lookups only: `{{ namespace.name }}`, no expressions. A string that is exactly one
 * template yields the looked-up value unchanged (so arrays and numbers survive); a template inside a
 * longer string is replaced by the value's text.
 */
export const TEMPLATE_NAMESPACES = ['target', 'discovery', 'capture', 'secret', 'cimd'] as const;

const TEMPLATE = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const TEMPLATE_NAME = /^(target|discovery|capture|secret|cimd)(\.[A-Za-z0-9_-]+)+$/;

/** Names of all templates in a value (strings, arrays, objects walked deeply). */
export function templateNames(value: unknown): string[] {
  const names: string[] = [];
  walkStrings(value, (text) => {
    for (const match of text.matchAll(TEMPLATE)) names.push(match[1]!);
  });
  return names;
}

/** Looks a dotted name up; `undefined` means the value is not available. */
export type Lookup = (name: string) => unknown;

export class MissingValueError extends Error {
  constructor(readonly valueName: string) {
    super(`"${valueName}" has no value`);
  }
}

export function renderTemplates<T>(value: T, lookup: Lookup): T {
  return renderValue(value, lookup) as T;
}

function renderValue(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') return renderString(value, lookup);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, lookup));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, lookup)]));
  }
  return value;
}

function renderString(text: string, lookup: Lookup): unknown {
  const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(text);
  if (whole) return lookupOrThrow(whole[1]!, lookup);
  return text.replace(TEMPLATE, (_, name: string) => {
    const value = lookupOrThrow(name, lookup);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

function lookupOrThrow(name: string, lookup: Lookup): unknown {
  const value = lookup(name);
  if (value === undefined) throw new MissingValueError(name);
  return value;
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) walkStrings(item, visit);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) walkStrings(item, visit);
}

/** Reads a dotted path from nested plain objects. */
export function lookupPath(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
