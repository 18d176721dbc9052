import type { SourcePosition } from '../errors.js';
import type { Severity } from '../suite/model.js';
import type { RecordedExchange } from './exchange.js';

/**
 * passed; failed = a failure-severity assertion broken; warning / info = a warning- or info-severity
 * assertion broken; skipped = not applicable, with the reason; error = could not be evaluated.
 */
export type Outcome = 'passed' | 'failed' | 'warning' | 'info' | 'skipped' | 'error';
export const OUTCOMES: readonly Outcome[] = ['passed', 'failed', 'warning', 'info', 'skipped', 'error'];

export interface Verdict {
  suite: string;
  id: string;
  step: string;
  title?: string;
  requirements: string[];
  severity: Severity;
  outcome: Outcome;
  message: string;
  expected?: unknown;
  actual?: unknown;
  hint: string;
  position: SourcePosition;
  /** the exchanges behind the verdict, redacted */
  exchanges: RecordedExchange[];
  /** files kept by browser steps: screenshots and, when a flow failed, its Playwright trace */
  artifacts?: string[];
}

export function outcomeForBrokenAssertion(severity: Severity): Outcome {
  return severity === 'failure' ? 'failed' : severity;
}
