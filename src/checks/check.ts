/** A named check: a pure function from a queried value (and arguments) to a verdict. */
export type CheckResult = { ok: true } | { ok: false; message: string; expected?: unknown; actual?: unknown };

export interface Check {
  name: string;
  /** what passing means, one sentence, shown by `list` and in reports */
  description: string;
  run(value: unknown, args: Record<string, unknown>): CheckResult;
}

export const pass: CheckResult = { ok: true };

export function fail(message: string, details: { expected?: unknown; actual?: unknown } = {}): CheckResult {
  return { ok: false, message, ...details };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
