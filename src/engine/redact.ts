/**
 * Removes secrets from anything that leaves the engine: recorded exchanges, messages, reports.
 * Known secret values (from `${env:...}` and tokens the run obtains) are replaced wherever they
 * appear; credential-bearing headers are masked whatever they contain.
 */
export const REDACTED = '[redacted]';

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'dpop']);

export class Redactor {
  private readonly secrets = new Set<string>();

  /**
   * Registers a secret value, and the spellings it takes in URLs and form bodies. Values shorter than
   * 4 characters would mask too much and are ignored.
   */
  add(value: string | undefined): void {
    if (!value || value.length < 4) return;
    this.secrets.add(value);
    this.secrets.add(encodeURIComponent(value));
    this.secrets.add(new URLSearchParams({ v: value }).toString().slice(2));
  }

  get size(): number {
    return this.secrets.size;
  }

  values(): string[] {
    return [...this.secrets];
  }

  text(input: string): string {
    let output = input;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (output.includes(secret)) output = output.split(secret).join(REDACTED);
    }
    return output;
  }

  /** Headers with credential-bearing fields masked (the scheme of Authorization is kept). */
  headers(headers: Record<string, string | string[]>): Record<string, string | string[]> {
    const result: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
        result[name] = Array.isArray(value) ? value.map(maskCredential) : maskCredential(value);
      } else {
        result[name] = Array.isArray(value) ? value.map((v) => this.text(v)) : this.text(value);
      }
    }
    return result;
  }

  /** A deep copy of a JSON-like value with every string redacted. */
  value<T>(input: T): T {
    if (typeof input === 'string') return this.text(input) as T;
    if (Array.isArray(input)) return input.map((item) => this.value(item)) as T;
    if (input && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v)])) as T;
    }
    return input;
  }
}

function maskCredential(value: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9-]*)\s+\S/.exec(value);
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}
