import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/errors.js';
import { buildSuite, type SuiteVocabulary } from '../../src/suite/load-suite.js';
import { parseYamlText } from '../../src/suite/yaml-file.js';

const vocabulary: SuiteVocabulary = {
  requirementIds: new Set(['REQ-1', 'REQ-2']),
  checkNames: new Set(['https-url']),
  contextNames: new Set(['target.mcp.url', 'discovery.prm_url']),
  specs: new Set(['RFC9728']),
};

const header = `schema: mcp-conformance/suite/v1
id: demo
title: Demo
spec: RFC9728
steps:
  - id: fetch
    request: { method: GET, url: '{{ discovery.prm_url }}' }
    capture:
      found: { json: $.resource }
    expect:
`;

function problemsOf(yaml: string): string[] {
  try {
    buildSuite(parseYamlText(yaml, 'demo.suite.yaml'), vocabulary);
  } catch (error) {
    if (error instanceof UserInputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

const assertion = (body: string) =>
  `${header}      - id: a\n        requirements: [REQ-1]\n        severity: failure\n        hint: fix it\n${body}`;

describe('buildSuite', () => {
  it('reads a location query as the whole URL, a query parameter or a fragment parameter', () => {
    const query = (spelling: string) =>
      buildSuite(
        parseYamlText(assertion(`        location: ${spelling}\n        absent: true\n`), 'demo.suite.yaml'),
        vocabulary,
      ).steps[0]!.expect[0]!.query;
    expect(query('true')).toEqual({ kind: 'location' });
    expect(query('error')).toEqual({ kind: 'location', param: 'error' });
    expect(query('"#access_token"')).toEqual({ kind: 'location', param: 'access_token', in: 'fragment' });
  });
  it('builds a valid suite with a status shorthand and a check', () => {
    const suite = buildSuite(
      parseYamlText(
        `${assertion('        status: 200\n')}      - id: b\n        requirements: [REQ-2]\n        severity: warning\n        hint: h\n        capture: found\n        check: https-url\n`,
        'demo.suite.yaml',
      ),
      vocabulary,
    );
    expect(suite.steps[0]!.expect.map((a) => [a.id, a.query.kind, a.predicate.kind])).toEqual([
      ['a', 'status', 'equals'],
      ['b', 'capture', 'check'],
    ]);
    expect(suite.steps[0]!.expect[1]!.position).toEqual({ file: 'demo.suite.yaml', line: 16, column: 9 });
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf('id: [unclosed\n')).toEqual([
      expect.stringMatching(/^demo\.suite\.yaml:2:1: invalid YAML: /),
    ]);
  });

  it('reports duplicate keys', () => {
    expect(problemsOf('id: a\nid: b\n')).toEqual([
      'demo.suite.yaml:2:1: invalid YAML: duplicate key "id" (first at line 1)',
    ]);
  });

  it('reports an unknown key at the key', () => {
    expect(problemsOf(assertion('        status: 200\n        colour: red\n'))).toEqual([
      'demo.suite.yaml:16:9: unknown key "colour"',
    ]);
  });

  it('reports two queries in one assertion', () => {
    expect(problemsOf(assertion('        json: $.a\n        header: x\n        exists: true\n'))).toEqual([
      'demo.suite.yaml:11:9: assertion "a" has 2 queries (header, json): one assertion reads one value',
    ]);
  });

  it('reports two predicates in one assertion', () => {
    expect(problemsOf(assertion('        json: $.a\n        exists: true\n        equals: 1\n'))).toEqual([
      'demo.suite.yaml:11:9: assertion "a" has 2 predicates (equals, exists): split it into one assertion per predicate',
    ]);
  });

  it('reports an unknown requirement id where it is written', () => {
    expect(problemsOf(assertion('        status: 200\n').replace('[REQ-1]', '[REQ-9]'))).toEqual([
      'demo.suite.yaml:12:24: unknown requirement id "REQ-9" (not in suites/requirements.yaml)',
    ]);
  });

  it('reports an invalid JSONPath and an invalid regular expression', () => {
    expect(problemsOf(assertion('        json: $..[\n        exists: true\n'))[0]).toMatch(
      /^demo\.suite\.yaml:15:15: invalid JSONPath "\$\.\.\[": /,
    );
    expect(problemsOf(assertion('        body: true\n        matches: "a("\n'))).toEqual([
      'demo.suite.yaml:16:18: invalid regular expression: /a(/u: Unterminated group',
    ]);
  });

  it('reports unknown template names and captures no earlier step defines', () => {
    expect(problemsOf(assertion('        body: true\n        equals: "{{ target.nope }}"\n'))).toEqual([
      'demo.suite.yaml:16:17: unknown template name "target.nope"',
    ]);
    expect(problemsOf(assertion('        body: true\n        equals: "{{ capture.later }}"\n'))).toEqual([
      'demo.suite.yaml:16:17: template "{{ capture.later }}" names a capture that no earlier step defines',
    ]);
  });

  it('reports an unknown check', () => {
    expect(problemsOf(assertion('        body: true\n        check: no-such-check\n'))).toEqual([
      'demo.suite.yaml:16:16: unknown check "no-such-check"',
    ]);
  });

  it('reports a wrong type with its position', () => {
    expect(
      problemsOf(assertion('        status: 200\n').replace('severity: failure', 'severity: fatal')),
    ).toEqual(['demo.suite.yaml:13:19: "severity" must be one of "failure", "warning", "info"']);
  });

  it('reports a step with two actions, and a step with none, as one problem each', () => {
    const twoActions = assertion('        status: 200\n').replace(
      '    capture:',
      '    token: { grant: client_credentials }\n    capture:',
    );
    expect(problemsOf(twoActions)).toEqual([
      'demo.suite.yaml:8:5: "request" and "token" cannot be used together: give exactly one of "request", "token", "mcp", "register", "authorize", "revoke_consent"',
    ]);
    const noAction = `${header.slice(0, header.indexOf('    request:'))}    expect: []\n`;
    expect(problemsOf(noAction)).toEqual([
      'demo.suite.yaml:6:5: missing one of the keys "request", "token", "mcp", "register", "authorize", "revoke_consent" in "steps"',
    ]);
  });

  it('names the shapes a value may take, and only the relevant branch of an alternative', () => {
    expect(problemsOf(assertion('        status: "x"\n'))).toEqual([
      'demo.suite.yaml:15:17: "status" must be true, of type integer or of type array',
    ]);
    expect(problemsOf(assertion('        json: $.a\n        count: -1\n'))).toEqual([
      'demo.suite.yaml:16:16: "count" must be >= 0',
    ]);
  });

  it('reports needs that name nothing, half templates, broken inline schemas and regexes around templates', () => {
    expect(problemsOf(assertion('        needs: [capture.later]\n        status: 200\n'))).toEqual([
      'demo.suite.yaml:15:17: needs "capture.later", but no earlier step captures "later"',
    ]);
    expect(problemsOf(assertion('        needs: [discovery.prm]\n        status: 200\n'))).toEqual([
      'demo.suite.yaml:15:17: needs "discovery.prm", an unknown value name (did you mean "discovery.prm_url"?)',
    ]);
    expect(problemsOf(assertion('        body: true\n        equals: "{{ target.mcp.url"\n'))).toEqual([
      'demo.suite.yaml:16:17: "{{" without its other half in "{{ target.mcp.url": a template looks like {{ target.mcp.url }}',
    ]);
    expect(problemsOf(assertion('        json: $\n        schema: { type: nope }\n'))).toEqual([
      'demo.suite.yaml:16:17: invalid JSON Schema: /type: must be equal to one of the allowed values',
    ]);
    expect(problemsOf(assertion('        body: true\n        matches: "^{{ target.mcp.url }}("\n'))).toEqual([
      'demo.suite.yaml:16:18: invalid regular expression: /^x(/u: Unterminated group',
    ]);
  });

  it('points YAML mistakes at their cause', () => {
    expect(problemsOf('id: x\ntitle: "open\nspec: RFC9728\n')).toEqual([
      'demo.suite.yaml:2:8: invalid YAML: this quoted string has no closing "',
    ]);
    expect(problemsOf('id: *nope\n')).toEqual([
      'demo.suite.yaml:1:5: invalid YAML: unknown alias "*nope": no anchor "&nope" before it',
    ]);
    expect(problemsOf('id: x\ntitle: a: b\n')).toEqual([
      'demo.suite.yaml:2:8: invalid YAML: a plain value cannot contain ": " (quote the value, or indent the next line like its sibling keys)',
    ]);
  });

  it('reads client documents of the suite and of a step, and a fetches query with cimd templates', () => {
    const suite = buildSuite(
      parseYamlText(
        `schema: mcp-conformance/suite/v1
id: demo
title: Demo
spec: RFC9728
documents:
  - path: /c.json
    json: { client_id: '{{ cimd.document_url }}' }
steps:
  - id: fetch
    documents:
      - { path: /c.json, status: 500, body: down, headers: { cache-control: max-age=60 } }
    request: { method: GET, url: '{{ cimd.base_url }}/c.json' }
    expect:
      - id: a
        requirements: [REQ-1]
        severity: failure
        hint: fix it
        fetches: '{{ cimd.base_url }}/c.json'
        count: 0
`,
        'demo.suite.yaml',
      ),
      { ...vocabulary, contextNames: new Set(['cimd.base_url', 'cimd.document_url']) },
    );
    expect(suite.documents).toEqual([{ path: '/c.json', json: { client_id: '{{ cimd.document_url }}' } }]);
    expect(suite.steps[0]!.documents).toEqual([
      { path: '/c.json', status: 500, body: 'down', headers: { 'cache-control': 'max-age=60' } },
    ]);
    expect(suite.steps[0]!.expect[0]!.query).toEqual({ kind: 'fetches', url: '{{ cimd.base_url }}/c.json' });
  });
  it('refuses a document with both json and body, and an unknown cimd name', () => {
    const problems = problemsOf(
      `${header.replace('steps:', 'documents:\n  - { path: /c.json, json: {}, body: x }\nsteps:')}      - id: a\n        requirements: [REQ-1]\n        severity: failure\n        hint: h\n        fetches: '{{ cimd.nowhere }}/c.json'\n        count: 0\n`,
    );
    expect(problems).toEqual([
      'demo.suite.yaml:6:32: a document has one body: choose json or body',
      'demo.suite.yaml:17:18: unknown template name "cimd.nowhere"',
    ]);
  });

  it('lets a step need an earlier assertion to pass, and refuses one that names none or sits elsewhere', () => {
    const suite = `${assertion('        status: 200\n')}  - id: second
    needs: [passed.a]
    request: { method: GET, url: '{{ discovery.prm_url }}' }
`;
    expect(problemsOf(suite)).toEqual([]);
    expect(problemsOf(suite.replace('needs: [passed.a]', 'needs: [passed.b]'))).toEqual([
      'demo.suite.yaml:17:13: needs "passed.b", but no earlier step has an assertion "b"',
    ]);
    expect(
      problemsOf(suite.replace('        status: 200\n', '        needs: [passed.a]\n        status: 200\n')),
    ).toEqual(['demo.suite.yaml:15:17: needs "passed.a": only a step can need an earlier assertion to pass']);
  });
});
