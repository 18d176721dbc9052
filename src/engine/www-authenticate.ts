/**
 * A strict parser for WWW-Authenticate field values (RFC 9110 §11.6.1). It keeps duplicate
 * parameters and reports syntax problems instead of repairing them, because a conformance check must
 * see exactly what a client would have to cope with.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export interface AuthParam {
  /** as sent; compare case-insensitively */
  name: string;
  value: string;
  quoted: boolean;
}

export interface Challenge {
  scheme: string;
  params: AuthParam[];
  token68?: string;
}

export interface ParsedChallenges {
  challenges: Challenge[];
  /** syntax problems, each a short statement; empty when the field value is well-formed */
  problems: string[];
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
/** Control characters other than HTAB: not allowed anywhere in a field value (RFC 9110 §5.5). */
function isControl(character: string): boolean {
  const code = character.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}
/**
 * A hostile field value can hold thousands of mistakes; the first few say all there is to say, so
 * the rest are only counted.
 */
const MAX_PROBLEMS = 20;

/**
 * Parses a WWW-Authenticate field value (several field lines joined by ", " are one value). Never
 * throws: whatever the input, it returns in time linear in its length, with every challenge it could
 * read and the syntax problems it met.
 */
export function parseWwwAuthenticate(fieldValue: string): ParsedChallenges {
  const challenges: Challenge[] = [];
  const problems: string[] = [];
  let unlisted = 0;
  const problem = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(message);
    else unlisted++;
  };
  let i = 0;
  const text = fieldValue;
  const skipWhitespace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < text.length && TCHAR.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  /** At the opening quote; the unescaped content, and whether the closing quote was found. */
  const readQuoted = (name: string): { value: string; terminated: boolean } => {
    i++;
    let value = '';
    let controlReported = false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return { value, terminated: true };
      }
      if (c === '\\') {
        // a backslash at the very end escapes nothing: the string is unterminated
        if (i + 1 >= text.length) break;
        i++;
      }
      if (!controlReported && isControl(text[i]!)) {
        problem(`parameter "${name}" holds a control character at offset ${i}`);
        controlReported = true;
      }
      value += text[i];
      i++;
    }
    i = text.length;
    return { value, terminated: false };
  };
  const skipToNextComma = () => {
    while (i < text.length && text[i] !== ',') i++;
  };

  let current: Challenge | undefined;
  /** true where a new challenge may start: at the beginning and after a comma */
  let afterComma = true;
  while (i < text.length) {
    skipWhitespace();
    if (text[i] === ',') {
      i++;
      afterComma = true;
      continue;
    }
    if (i >= text.length) break;
    const token = readToken();
    if (!token) {
      problem(`unexpected character ${JSON.stringify(text[i])} at offset ${i}`);
      i++;
      skipToNextComma();
      continue;
    }
    const afterToken = i;
    skipWhitespace();
    if (current && text[i] === '=' && !isToken68Tail(text, i)) {
      // an auth-param of the current challenge
      i++;
      skipWhitespace();
      let value: string;
      let quoted = false;
      if (text[i] === '"') {
        quoted = true;
        const read = readQuoted(token);
        value = read.value;
        if (!read.terminated) problem(`unterminated quoted string for parameter "${token}"`);
      } else {
        value = readToken();
        if (!value) problem(`parameter "${token}" has no value`);
      }
      current.params.push({ name: token, value, quoted });
      afterComma = false;
      skipWhitespace();
      if (i < text.length && text[i] !== ',') {
        problem(`unexpected text after parameter "${token}" at offset ${i}`);
        skipToNextComma();
      }
      continue;
    }
    // a new challenge: auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    if (!afterComma)
      problem(`missing "," before challenge "${token}" at offset ${afterToken - token.length}`);
    afterComma = false;
    i = afterToken;
    current = { scheme: token, params: [] };
    challenges.push(current);
    if (i < text.length && text[i] !== ' ' && text[i] !== ',') {
      problem(`unexpected character ${JSON.stringify(text[i])} after scheme "${token}"`);
      skipToNextComma();
      continue;
    }
    skipWhitespace();
    const rest = text.slice(i);
    const token68 = /^([A-Za-z0-9\-._~+/]+=*)\s*(,|$)/.exec(rest);
    if (token68 && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*=[^=]/.test(rest) && TOKEN68.test(token68[1]!)) {
      current.token68 = token68[1]!;
      i += token68[1]!.length;
      // a token68 form ends this challenge; the next token starts a new one
      current = undefined;
    }
  }
  if (unlisted > 0) problems.push(`${unlisted} more problem(s) not listed`);
  return { challenges, problems };
}

/** `x==` is a token68 with padding, not a parameter named x. */
function isToken68Tail(text: string, equalsAt: number): boolean {
  return text[equalsAt + 1] === '=' || equalsAt + 1 >= text.length || text[equalsAt + 1] === ',';
}

/** The first challenge with the given scheme (schemes are case-insensitive). */
export function findChallenge(parsed: ParsedChallenges, scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return parsed.challenges.find((c) => c.scheme.toLowerCase() === wanted);
}

/** Every value of a parameter in a challenge (names are case-insensitive). */
export function paramValues(challenge: Challenge, name: string): string[] {
  const wanted = name.toLowerCase();
  return challenge.params.filter((p) => p.name.toLowerCase() === wanted).map((p) => p.value);
}
