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

export function parseWwwAuthenticate(fieldValue: string): ParsedChallenges {
  const challenges: Challenge[] = [];
  const problems: string[] = [];
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
  const readQuoted = (): string | undefined => {
    // at the opening quote
    i++;
    let value = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        if (i + 1 >= text.length) break;
        value += text[i + 1];
        i += 2;
      } else if (c === '"') {
        i++;
        return value;
      } else {
        value += c;
        i++;
      }
    }
    return undefined;
  };
  const skipToNextComma = () => {
    while (i < text.length && text[i] !== ',') i++;
  };

  let current: Challenge | undefined;
  while (i < text.length) {
    skipWhitespace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= text.length) break;
    const start = i;
    const token = readToken();
    if (!token) {
      problems.push(`unexpected character ${JSON.stringify(text[i])} at offset ${i}`);
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
      let value: string | undefined;
      let quoted = false;
      if (text[i] === '"') {
        quoted = true;
        value = readQuoted();
        if (value === undefined) {
          problems.push(`unterminated quoted string for parameter "${token}"`);
          value = text.slice(start);
        }
      } else {
        value = readToken();
        if (!value) problems.push(`parameter "${token}" has no value`);
      }
      current.params.push({ name: token, value, quoted });
      skipWhitespace();
      if (i < text.length && text[i] !== ',') {
        problems.push(`unexpected text after parameter "${token}" at offset ${i}`);
        skipToNextComma();
      }
      continue;
    }
    // a new challenge: auth-scheme [ 1*SP ( token68 / #auth-param ) ]
    i = afterToken;
    current = { scheme: token, params: [] };
    challenges.push(current);
    if (i < text.length && text[i] !== ' ' && text[i] !== ',') {
      problems.push(`unexpected character ${JSON.stringify(text[i])} after scheme "${token}"`);
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
