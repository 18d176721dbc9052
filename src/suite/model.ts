import type { SourcePosition } from '../errors.js';

export type Severity = 'failure' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['failure', 'warning', 'info'];

export type Query =
  | { kind: 'status' }
  | { kind: 'header'; name: string }
  | { kind: 'json'; path: string }
  | { kind: 'body' }
  | { kind: 'url' }
  | { kind: 'capture'; name: string }
  | { kind: 'challenge'; scheme: string; param?: string }
  | { kind: 'discovery'; name: string };

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export type Predicate =
  | { kind: 'equals'; value: unknown }
  | { kind: 'notEquals'; value: unknown }
  | { kind: 'matches'; pattern: string }
  | { kind: 'contains'; value: unknown }
  | { kind: 'oneOf'; values: unknown[] }
  | { kind: 'exists' }
  | { kind: 'absent' }
  | { kind: 'type'; type: JsonType }
  | { kind: 'count'; min?: number; max?: number }
  | { kind: 'each'; inner: Predicate }
  | { kind: 'some'; inner: Predicate }
  | { kind: 'schema'; schema: Record<string, unknown> }
  | { kind: 'check'; name: string; args: Record<string, unknown> };

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  follow_redirects?: boolean;
  timeout_ms?: number;
  max_bytes?: number;
}

export interface Assertion {
  id: string;
  title?: string;
  requirements: string[];
  severity: Severity;
  /** when it does not pass, the step's later assertions are skipped with that reason */
  gate: boolean;
  hint: string;
  query: Query;
  predicate: Predicate;
  position: SourcePosition;
}

export interface Step {
  id: string;
  title?: string;
  needs: string[];
  request: HttpRequestSpec;
  capture: Record<string, Query>;
  expect: Assertion[];
  position: SourcePosition;
}

export interface Suite {
  id: string;
  title: string;
  spec: string;
  description?: string;
  needs: string[];
  steps: Step[];
  /** the file as the user would name it (relative to the working directory or the package) */
  file: string;
  position: SourcePosition;
}

/** The id used in baselines, profiles and `--grep`: suite id and assertion id joined by a slash. */
export function qualifiedId(suiteId: string, assertionId: string): string {
  return `${suiteId}/${assertionId}`;
}
