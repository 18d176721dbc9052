/**
 * Malformed suites, targets and profiles, each run through the compiled CLI as users do: every one
 * must exit 2 with exactly the `file:line:column: message` lines expected, and never a stack trace.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-conformance-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STACK_TRACE = /\n\s+at |Error:|node:internal/;
const UNSET = 'MCP_CONFORMANCE_BAD_INPUT_UNSET';

/**
 * Each case is a CLI process that loads the bundled catalogue: a few at a time keep a small machine
 * responsive for the test files that run alongside.
 */
const MAX_PARALLEL_CLI = 3;
let active = 0;
const waiting: (() => void)[] = [];
async function limited(work: () => Promise<CliResult>): Promise<CliResult> {
  while (active >= MAX_PARALLEL_CLI) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await work();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

// --- building blocks of a valid suite, broken one way per case ---------------------------------------

const suiteHead = `schema: mcp-conformance/suite/v1
id: bad-input
title: Bad input
spec: RFC9728
`;
const request = "request: { method: GET, url: '{{ discovery.prm_url }}' }";
const assertion = (body = '        status: 200\n', id = 'a') =>
  `      - id: ${id}
        requirements: [RFC9728-3.2-200-json]
        severity: failure
        hint: fix it
${body}`;
const step = (expect = assertion(), extra = '', action = request) =>
  `  - id: fetch
    ${action}
${extra}    capture:
      found: { json: $.resource }
    expect:
${expect}`;
/** A valid suite: 16 lines, the assertion's query and predicate from line 15. */
const suite = (steps = step(), head = '') => `${suiteHead}${head}steps:\n${steps}`;
const withAssertion = (body: string) => suite(step(assertion(body)));
const target = (body: string) => `schema: mcp-conformance/target/v1\n${body}`;
const profile = (body: string) =>
  `schema: mcp-conformance/profile/v1\nid: bad-profile\ntitle: Bad profile\n${body}`;
const mcp = "mcp: { url: 'https://127.0.0.1:9/mcp' }\n";
const NOT_A_MAPPING = 'expected a mapping with a "schema" key';

interface BadInput {
  name: string;
  /** `target` files also go through `run --target` */
  kind: 'suite' | 'profile' | 'target' | 'other';
  content: string | Buffer;
  /** expected stderr lines, after `mcp-conformance: FILE:` */
  lines: string[];
}

const cases: BadInput[] = [
  // --- YAML syntax ----------------------------------------------------------------------------------
  {
    name: 'yaml-unclosed-flow-sequence',
    kind: 'suite',
    content: 'schema: mcp-conformance/suite/v1\nid: [x\ntitle: t\n',
    lines: [
      '3:1: invalid YAML: the flow sequence opened with "[" at line 2, column 5 is not closed with "]" (or its next line is not indented enough)',
    ],
  },
  {
    name: 'yaml-over-indented-key',
    kind: 'suite',
    content: suite('  - id: fetch\n     request: { url: x }\n'),
    lines: [
      '6:9: invalid YAML: a plain value cannot contain ": " (quote the value, or indent the next line like its sibling keys)',
    ],
  },
  {
    name: 'yaml-colon-in-plain-value',
    kind: 'suite',
    content: 'schema: mcp-conformance/suite/v1\nid: x\ntitle: a: b\n',
    lines: [
      '3:8: invalid YAML: a plain value cannot contain ": " (quote the value, or indent the next line like its sibling keys)',
    ],
  },
  {
    name: 'yaml-tab-indentation',
    kind: 'suite',
    content: suite('\t- id: fetch\n'),
    lines: ['6:1: invalid YAML: Tabs are not allowed as indentation'],
  },
  {
    name: 'yaml-unclosed-quote',
    kind: 'suite',
    content: 'schema: mcp-conformance/suite/v1\nid: x\ntitle: "Bad\nspec: RFC9728\n',
    lines: ['3:8: invalid YAML: this quoted string has no closing "'],
  },
  {
    name: 'yaml-unknown-alias',
    kind: 'suite',
    content: 'schema: mcp-conformance/suite/v1\nid: *nope\n',
    lines: ['2:5: invalid YAML: unknown alias "*nope": no anchor "&nope" before it'],
  },
  {
    name: 'yaml-billion-laughs',
    kind: 'suite',
    content:
      'schema: mcp-conformance/suite/v1\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n' +
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n',
    lines: ['3:8: invalid YAML: aliases expand to more than 100 copies'],
  },
  {
    name: 'yaml-two-documents',
    kind: 'suite',
    content: `${suite()}---\nid: other\n`,
    lines: [
      '16:1: invalid YAML: a second YAML document starts here ("---"); a file holds one suite, target or profile',
    ],
  },
  {
    name: 'duplicate-top-level-key',
    kind: 'suite',
    content: suite().replace('title: Bad input\n', 'title: Bad input\ntitle: Again\n'),
    lines: ['4:1: invalid YAML: duplicate key "title" (first at line 3)'],
  },
  {
    name: 'duplicate-key-in-assertion',
    kind: 'suite',
    content: withAssertion('        status: 200\n        severity: warning\n'),
    lines: ['16:9: invalid YAML: duplicate key "severity" (first at line 13)'],
  },

  // --- wrong types ----------------------------------------------------------------------------------
  {
    name: 'steps-as-mapping',
    kind: 'suite',
    content: 'schema: mcp-conformance/suite/v1\nid: x\ntitle: t\nspec: RFC9728\nsteps: {}\n',
    lines: ['5:8: "steps" must be of type array'],
  },
  {
    name: 'title-as-number',
    kind: 'suite',
    content: suite().replace('title: Bad input', 'title: 42'),
    lines: ['3:8: "title" must be of type string'],
  },
  {
    name: 'gate-as-string',
    kind: 'suite',
    content: withAssertion('        gate: "yes"\n        status: 200\n'),
    lines: ['15:15: "gate" must be of type boolean'],
  },
  {
    name: 'negative-count',
    kind: 'suite',
    content: withAssertion('        json: $.a\n        count: -1\n'),
    lines: ['16:16: "count" must be >= 0'],
  },
  {
    name: 'status-as-string',
    kind: 'suite',
    content: withAssertion('        status: "200"\n'),
    lines: ['15:17: "status" must be true, of type integer or of type array'],
  },
  {
    name: 'bad-severity-value',
    kind: 'suite',
    content: suite().replace('severity: failure', 'severity: fatal'),
    lines: ['13:19: "severity" must be one of "failure", "warning", "info"'],
  },
  {
    name: 'id-not-kebab-case',
    kind: 'suite',
    content: suite().replace('id: bad-input', 'id: Bad_Input'),
    lines: ['2:5: "id" must be an id of lower-case letters, digits and "-"'],
  },

  // --- unknown keys at several depths ---------------------------------------------------------------
  {
    name: 'unknown-key-top-level',
    kind: 'suite',
    content: `${suite()}colour: red\n`,
    lines: ['16:1: unknown key "colour"'],
  },
  {
    name: 'unknown-key-in-step',
    kind: 'suite',
    content: suite(step(assertion(), '    retries: 3\n')),
    lines: ['8:5: unknown key "retries"'],
  },
  {
    name: 'unknown-key-in-request',
    kind: 'suite',
    content: suite(
      step(assertion(), '', "request: { method: GET, url: '{{ discovery.prm_url }}', timeout: 5 }"),
    ),
    lines: ['7:61: unknown key "timeout"'],
  },
  {
    name: 'unknown-key-in-assertion',
    kind: 'suite',
    content: withAssertion('        status: 200\n        colour: blue\n'),
    lines: ['16:9: unknown key "colour"'],
  },
  {
    name: 'unknown-key-in-each',
    kind: 'suite',
    content: withAssertion('        json: $.a[*]\n        each: { equal: 1 }\n'),
    lines: ['16:17: unknown key "equal"'],
  },

  // --- missing required keys ------------------------------------------------------------------------
  {
    name: 'suite-without-title',
    kind: 'suite',
    content: suite().replace('title: Bad input\n', ''),
    lines: ['1:1: missing required key "title"'],
  },
  {
    name: 'step-without-id',
    kind: 'suite',
    content: suite(step().replace('  - id: fetch\n    request', '  - request')),
    lines: ['6:5: missing required key "id" in "steps"'],
  },
  {
    name: 'assertion-without-hint',
    kind: 'suite',
    content: suite(step(assertion().replace('        hint: fix it\n', ''))),
    lines: ['11:9: missing required key "hint" in "expect"'],
  },
  {
    name: 'request-without-url',
    kind: 'suite',
    content: suite(step(assertion(), '', 'request: { method: GET, headers: {} }')),
    lines: ['7:14: missing required key "url" in "request"'],
  },

  // --- queries, predicates, actions -----------------------------------------------------------------
  {
    name: 'bad-jsonpath',
    kind: 'suite',
    content: withAssertion('        json: $..[\n        exists: true\n'),
    lines: [
      '15:15: invalid JSONPath "$..[": Expected "\'", "*", "-", "0", ":", "?", "\\"", [1-9], or [\\t-\\n\\r ] but end of input found.',
    ],
  },
  {
    name: 'bad-regex',
    kind: 'suite',
    content: withAssertion('        body: true\n        matches: "a("\n'),
    lines: ['16:18: invalid regular expression: /a(/u: Unterminated group'],
  },
  {
    name: 'bad-regex-around-a-template',
    kind: 'suite',
    content: withAssertion('        body: true\n        matches: "^{{ target.mcp.url }}("\n'),
    lines: ['16:18: invalid regular expression: /^x(/u: Unterminated group'],
  },
  {
    name: 'bad-inline-json-schema',
    kind: 'suite',
    content: withAssertion('        json: $\n        schema: { type: nope }\n'),
    lines: ['16:17: invalid JSON Schema: /type: must be equal to one of the allowed values'],
  },
  {
    name: 'two-queries',
    kind: 'suite',
    content: withAssertion('        json: $.a\n        header: x\n        exists: true\n'),
    lines: ['11:9: assertion "a" has 2 queries (header, json): one assertion reads one value'],
  },
  {
    name: 'no-query',
    kind: 'suite',
    content: withAssertion('        exists: true\n'),
    lines: [
      '11:9: assertion "a" has no query: add one of status, header, headers, json, body, url, location, capture, challenge, discovery, jwt, fetches',
    ],
  },
  {
    name: 'two-predicates',
    kind: 'suite',
    content: withAssertion('        json: $.a\n        exists: true\n        equals: 1\n'),
    lines: [
      '11:9: assertion "a" has 2 predicates (equals, exists): split it into one assertion per predicate',
    ],
  },
  {
    name: 'no-predicate',
    kind: 'suite',
    content: withAssertion('        json: $.a\n'),
    lines: [
      '11:9: assertion "a" has no predicate: add one of equals, notEquals, matches, contains, oneOf, exists, absent, type, count, each, some, schema, check',
    ],
  },
  {
    name: 'status-shorthand-with-a-predicate',
    kind: 'suite',
    content: withAssertion('        status: 200\n        equals: 200\n'),
    lines: ['11:9: "status: 200" already says what to expect; remove "equals"'],
  },
  {
    name: 'unknown-check',
    kind: 'suite',
    content: withAssertion('        body: true\n        check: no-such-check\n'),
    lines: ['16:16: unknown check "no-such-check"'],
  },
  {
    name: 'step-with-request-and-token',
    kind: 'suite',
    content: suite(step(assertion(), '    token: { grant: client_credentials }\n')),
    lines: [
      '8:5: "request" and "token" cannot be used together: give exactly one of "request", "token", "mcp", "register", "authorize", "revoke_consent"',
    ],
  },
  {
    name: 'step-without-action',
    kind: 'suite',
    content: suite('  - id: fetch\n    expect: []\n'),
    lines: [
      '6:5: missing one of the keys "request", "token", "mcp", "register", "authorize", "revoke_consent" in "steps"',
    ],
  },
  {
    name: 'client-auth-with-json-body',
    kind: 'suite',
    content: suite(
      step(
        assertion(),
        '',
        "request: { method: POST, url: '{{ discovery.prm_url }}', client_auth: client_secret_basic, json: { a: 1 } }",
      ),
    ),
    lines: ['7:62: client_auth sends a form body: use "form", not "json" or "body"'],
  },
  {
    name: 'request-with-two-bodies',
    kind: 'suite',
    content: suite(
      step(assertion(), '', "request: { method: POST, url: '{{ discovery.prm_url }}', json: {}, body: x }"),
    ),
    lines: ['7:72: a request has one body: choose one of json, body'],
  },

  // --- names that refer to nothing -------------------------------------------------------------------
  {
    name: 'unknown-requirement-id',
    kind: 'suite',
    content: suite().replace('RFC9728-3.2-200-json', 'RFC9728-9.9-nope'),
    lines: ['12:24: unknown requirement id "RFC9728-9.9-nope" (not in suites/requirements.yaml)'],
  },
  {
    name: 'unknown-spec',
    kind: 'suite',
    content: suite().replace('spec: RFC9728', 'spec: RFC9999'),
    lines: ['4:7: unknown spec "RFC9999" (not in config/spec-links.yaml)'],
  },
  {
    name: 'unknown-template-name',
    kind: 'suite',
    content: withAssertion('        body: true\n        equals: "{{ target.nope }}"\n'),
    lines: ['16:17: unknown template name "target.nope"'],
  },
  {
    name: 'template-name-cut-short',
    kind: 'suite',
    content: suite(step(assertion(), '', "request: { method: GET, url: '{{ discovery.prm }}' }")),
    lines: ['7:14: unknown template name "discovery.prm" (did you mean "discovery.prm_url"?)'],
  },
  {
    name: 'half-a-template',
    kind: 'suite',
    content: withAssertion('        body: true\n        equals: "{{ target.mcp.url"\n'),
    lines: [
      '16:17: "{{" without its other half in "{{ target.mcp.url": a template looks like {{ target.mcp.url }}',
    ],
  },
  {
    name: 'template-with-an-expression',
    kind: 'suite',
    content: withAssertion('        body: true\n        equals: "{{ target.mcp.url + 1 }}"\n'),
    lines: [
      '16:17: template "{{ target.mcp.url + 1 }}" is not a lookup (templates name one value, like target.mcp.url)',
    ],
  },
  {
    name: 'capture-template-before-it-is-defined',
    kind: 'suite',
    content: withAssertion('        body: true\n        equals: "{{ capture.later }}"\n'),
    lines: ['16:17: template "{{ capture.later }}" names a capture that no earlier step defines'],
  },
  {
    name: 'capture-query-before-it-is-defined',
    kind: 'suite',
    content: withAssertion('        capture: later\n        exists: true\n'),
    lines: ['15:18: no earlier capture is named "later"'],
  },
  {
    name: 'needs-an-unknown-value',
    kind: 'suite',
    content: suite(step(), 'needs: [discovery.nope]\n'),
    lines: ['5:9: needs "discovery.nope", an unknown value name'],
  },
  {
    name: 'step-needs-its-own-capture',
    kind: 'suite',
    content: suite(step(assertion(), '    needs: [capture.found]\n')),
    lines: ['8:13: needs "capture.found", but no earlier step captures "found"'],
  },
  {
    name: 'needs-outside-any-namespace',
    kind: 'suite',
    content: suite(step(), 'needs: [somewhere.else]\n'),
    lines: ['5:9: "needs" must name a value, such as target.mcp.url, discovery.prm_url or capture.NAME'],
  },
  {
    name: 'duplicate-assertion-id',
    kind: 'suite',
    content: suite(step(assertion() + assertion())),
    lines: ['16:13: duplicate assertion id "a"'],
  },

  // --- profiles ---------------------------------------------------------------------------------------
  {
    name: 'profile-unknown-suite',
    kind: 'profile',
    content: profile('suites: [rfc9728-protected-resource-metadata, no-such-suite]\n'),
    lines: ['4:47: unknown suite "no-such-suite"'],
  },
  {
    name: 'profile-unknown-assertion',
    kind: 'profile',
    content: profile(
      'suites: [rfc9728-protected-resource-metadata]\nseverity:\n  rfc9728-protected-resource-metadata/no-such-assertion: warning\n',
    ),
    lines: ['6:3: unknown assertion "rfc9728-protected-resource-metadata/no-such-assertion"'],
  },
  {
    name: 'profile-bad-severity',
    kind: 'profile',
    content: profile(
      'suites: [rfc9728-protected-resource-metadata]\nseverity:\n  rfc9728-protected-resource-metadata/served-at-path-inserted-url: fatal\n',
    ),
    lines: [
      '6:68: "rfc9728-protected-resource-metadata/served-at-path-inserted-url" must be one of "failure", "warning", "info"',
    ],
  },
  {
    name: 'profile-severity-key-without-suite',
    kind: 'profile',
    content: profile(
      'suites: [rfc9728-protected-resource-metadata]\nseverity:\n  served-at-path-inserted-url: warning\n',
    ),
    lines: [
      '6:3: key "served-at-path-inserted-url" in "severity" must be a qualified assertion id, "suite-id/assertion-id"',
    ],
  },
  {
    name: 'profile-without-suites',
    kind: 'profile',
    content: profile(''),
    lines: ['1:1: missing required key "suites"'],
  },

  // --- targets ----------------------------------------------------------------------------------------
  {
    name: 'target-without-mcp-or-issuer',
    kind: 'target',
    content: target('name: nowhere\n'),
    lines: ['1:1: missing one of the keys "issuer", "mcp"'],
  },
  {
    name: 'target-secret-written-out',
    kind: 'target',
    content: target(
      `${mcp}clients:\n  confidential:\n    client_id: demo\n    client_secret: hunter2-plaintext\n`,
    ),
    lines: [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the target-file syntax, not a template
      '6:20: "client_secret" must be an environment reference such as ${env:NAME}, never the secret itself',
    ],
  },
  {
    name: 'target-env-variable-unset',
    kind: 'target',
    content: target(
      `${mcp}clients:\n  confidential:\n    client_id: demo\n    client_secret: \${env:${UNSET}}\n`,
    ),
    lines: [`6:20: environment variable ${UNSET} is not set`],
  },
  {
    name: 'target-ca-file-missing',
    kind: 'target',
    content: target(`${mcp}tls:\n  ca_file: no-such-ca.pem\n`),
    lines: ['4:12: cannot read CA file "no-such-ca.pem"'],
  },
  {
    name: 'target-issuer-not-a-url',
    kind: 'target',
    content: target('issuer: auth.example.com\n'),
    lines: ['2:9: "issuer" must be an absolute http(s) URL'],
  },
  {
    name: 'target-timeout-too-small',
    kind: 'target',
    content: target(`${mcp}options:\n  timeout_ms: 5\n`),
    lines: ['4:15: "timeout_ms" must be >= 100'],
  },
  {
    name: 'target-cors-origin-with-path',
    kind: 'target',
    content: target(`${mcp}options:\n  cors_origin: https://app.example.com/page\n`),
    lines: ['4:16: "cors_origin" must be an origin, scheme://host[:port] without a path'],
  },
  {
    name: 'target-unknown-key-in-client',
    kind: 'target',
    content: target(`${mcp}clients:\n  confidential:\n    client_id: demo\n    secret: x\n`),
    lines: ['6:5: unknown key "secret"'],
  },
  {
    name: 'target-public-client-with-secret',
    kind: 'target',
    content: target(`${mcp}clients:\n  public:\n    client_id: demo\n    client_secret: x\n`),
    lines: ['6:5: unknown key "client_secret"'],
  },
  {
    name: 'target-registration-enabled-not-boolean',
    kind: 'target',
    content: target(`${mcp}registration:\n  enabled: "no"\n`),
    lines: ['4:12: "enabled" must be of type boolean'],
  },
  {
    name: 'target-allowed-redirect-uris-empty',
    kind: 'target',
    content: target(`${mcp}registration:\n  allowed_redirect_uris: []\n`),
    lines: ['4:26: "allowed_redirect_uris" must NOT have fewer than 1 items'],
  },
  {
    name: 'target-step-up-without-requirement',
    kind: 'target',
    content: target(`${mcp}step_up:\n  tool: confirm-transfer\n`),
    lines: ['4:3: missing one of the keys "acr_values", "max_age" in "step_up"'],
  },
  {
    name: 'target-step-up-negative-max-age',
    kind: 'target',
    content: target(`${mcp}step_up:\n  tool: confirm-transfer\n  max_age: -1\n`),
    lines: ['5:12: "max_age" must be >= 0'],
  },
  {
    name: 'target-empty',
    kind: 'target',
    content: '',
    lines: [`1:1: the file is empty; ${NOT_A_MAPPING}`],
  },

  // --- files that are not a suite, target or profile at all -----------------------------------------
  { name: 'empty-file', kind: 'other', content: '', lines: [`1:1: the file is empty; ${NOT_A_MAPPING}`] },
  {
    name: 'comments-only',
    kind: 'other',
    content: '# nothing yet\n',
    lines: [`1:1: the file is empty; ${NOT_A_MAPPING}`],
  },
  {
    name: 'yaml-list',
    kind: 'other',
    content: '- a\n- b\n',
    lines: [`1:1: the file holds a list; ${NOT_A_MAPPING}`],
  },
  {
    name: 'yaml-scalar',
    kind: 'other',
    content: 'hello\n',
    lines: [`1:1: the file holds a single value; ${NOT_A_MAPPING}`],
  },
  {
    name: 'unknown-schema',
    kind: 'other',
    content: 'schema: mcp-conformance/suite/v2\nid: x\n',
    lines: [
      '1:9: unknown file kind: "schema" must be mcp-conformance/suite/v1, mcp-conformance/target/v1 or mcp-conformance/profile/v1',
    ],
  },
  {
    name: 'five-megabytes',
    kind: 'other',
    content: `schema: mcp-conformance/suite/v1\nid: big\ndescription: ${'x'.repeat(5 * 1024 * 1024)}\n`,
    lines: ['1:1: the file is 5.0 MiB; suite, target and profile files are limited to 1 MiB'],
  },
  {
    name: 'binary-garbage',
    kind: 'other',
    content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    lines: ['1:2: not UTF-8 text: invalid byte sequence (a binary file?)'],
  },
  {
    name: 'nul-bytes',
    kind: 'other',
    content: 'schema: mcp-conformance/suite/v1\nid: a\u0000b\n',
    lines: ['2:6: not a text file: it holds a NUL byte'],
  },
  {
    name: 'utf16-text',
    kind: 'other',
    content: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('schema: mcp-conformance/suite/v1\n', 'utf16le'),
    ]),
    lines: ['1:1: not UTF-8 text: invalid byte sequence (a binary file?)'],
  },
];

function write(input: BadInput, prefix = ''): string {
  const name = `${prefix}${input.name}`;
  const path = join(work, input.kind === 'suite' ? `${name}.suite.yaml` : `${name}.yaml`);
  writeFileSync(path, input.content);
  return path;
}

const expectedStderr = (path: string, lines: string[]) =>
  lines.map((line) => `mcp-conformance: ${path}:${line}\n`).join('');

function expectOnlyThese(result: CliResult, path: string, lines: string[]): void {
  expect(result.stderr).toBe(expectedStderr(path, lines));
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.stdout).toBe('');
  expect(result.code).toBe(2);
}

/** One case per kind of mistake is also run on its own, to see its own exit code. */
const ALONE = new Set([
  'yaml-unknown-alias',
  'duplicate-top-level-key',
  'negative-count',
  'unknown-key-in-request',
  'step-with-request-and-token',
  'needs-an-unknown-value',
  'profile-severity-key-without-suite',
  'binary-garbage',
  'five-megabytes',
]);

describe('bad input: exit 2, exact file:line:column messages, no stack trace', () => {
  const paths = new Map(cases.map((input) => [input.name, write(input)]));
  /**
   * Every file in one `validate` call: each CLI process validates the bundled catalogue too (about a
   * second of CPU), and `validate` reports every file's problems, each under its own path.
   */
  let all: CliResult;
  beforeAll(async () => {
    all = await limited(() => runCli(['validate', ...paths.values()], { env: { [UNSET]: '' } }));
  }, 60_000);

  it('covers at least 40 malformed files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('validate with every file: exit 2, every expected line in order and nothing else', () => {
    const expected = cases.map((input) => expectedStderr(paths.get(input.name)!, input.lines)).join('');
    expect(all.stderr).toBe(expected);
    expect(all.stderr).not.toMatch(STACK_TRACE);
    expect(all.stdout).toBe('');
    expect(all.code).toBe(2);
  });

  it.each(cases)('validate … $name …', (input) => {
    const path = paths.get(input.name)!;
    const own = all.stderr
      .split('\n')
      .filter((line) => line.startsWith(`mcp-conformance: ${path}:`))
      .map((line) => `${line}\n`)
      .join('');
    expect(own).toBe(expectedStderr(path, input.lines));
  });

  describe.concurrent('one file per process', () => {
    it.each(cases.filter((input) => ALONE.has(input.name)))(
      'validate $name',
      async (input) => {
        const path = write(input, 'alone-');
        const result = await limited(() => runCli(['validate', path], { env: { [UNSET]: '' } }));
        expectOnlyThese(result, path, input.lines);
      },
      60_000,
    );

    it.each(cases.filter((input) => input.kind === 'target'))(
      'run --target $name',
      async (input) => {
        const path = write(input, 'run-');
        const result = await limited(() => runCli(['run', '--target', path], { env: { [UNSET]: '' } }));
        expectOnlyThese(result, path, input.lines);
      },
      60_000,
    );
  });
});
