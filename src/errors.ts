/** A position in a user file, 1-based, as editors show it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/**
 * The one error base class. `code` is a stable contract callers switch on; the message states one
 * fact. Data that explains the failure goes into `cause`, never into the message.
 */
export class ConformanceError extends Error {
  static code = 'ERR_CONFORMANCE';
  code: string = ConformanceError.code;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

/**
 * A mistake in something the user wrote: a flag, a suite, a target or a profile file. The CLI prints
 * these as one line per problem, with `file:line:column`, and exits 2 — never with a stack trace.
 */
export class UserInputError extends ConformanceError {
  static override code = 'ERR_USER_INPUT';
  override code = UserInputError.code;
  readonly problems: readonly UserProblem[];
  constructor(problems: readonly UserProblem[] | string, options?: { cause?: unknown }) {
    const list = typeof problems === 'string' ? [{ message: problems }] : problems;
    super(list.map(formatProblem).join('\n'), options);
    this.problems = list;
  }
}

export interface UserProblem {
  message: string;
  position?: SourcePosition;
}

export function formatProblem(problem: UserProblem): string {
  return problem.position ? `${formatPosition(problem.position)}: ${problem.message}` : problem.message;
}

/** A step or assertion could not be evaluated (network failure, timeout, oversized response). */
export class EvaluationError extends ConformanceError {
  static override code = 'ERR_EVALUATION';
  override code = EvaluationError.code;
}

/** A response exceeded the configured size cap. */
export class ResponseTooLargeError extends EvaluationError {
  static override code = 'ERR_RESPONSE_TOO_LARGE';
  override code = ResponseTooLargeError.code;
}

/** A request did not complete within its timeout. */
export class RequestTimeoutError extends EvaluationError {
  static override code = 'ERR_REQUEST_TIMEOUT';
  override code = RequestTimeoutError.code;
}
