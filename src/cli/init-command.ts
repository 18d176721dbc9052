import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isPlainObject } from '../checks/check.js';
import { type Discovery, discover } from '../engine/discovery.js';
import type { RecordedExchange } from '../engine/exchange.js';
import { clientForTarget } from '../engine/http-client.js';
import { Redactor } from '../engine/redact.js';
import { UserInputError } from '../errors.js';
import { packagePath } from '../package-root.js';
import { targetFromUrl } from '../suite/target.js';
import { parseOptions } from './main.js';

export const INIT_USAGE = `Usage: mcp-conformance init --url URL [options]

Discovers the MCP server at URL (401 challenge, protected resource metadata, authorization server
metadata) and writes a commented target file to edit and commit.

  --url URL     the MCP endpoint, e.g. https://mcp.example.com/mcp
  --ca FILE     extra CA certificates (PEM) to trust; the target file refers to it
  --out FILE    where to write the target file (default target.yaml)
  --force       overwrite FILE if it exists
`;

const CLIENT_ID_VARIABLE = 'MCP_CONFORMANCE_CLIENT_ID';
const CLIENT_SECRET_VARIABLE = 'MCP_CONFORMANCE_CLIENT_SECRET';

/** How a target file refers to an environment variable. */
const envReference = (name: string) => `$\{env:${name}}`;

export async function initCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    url: { type: 'string' },
    ca: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(INIT_USAGE);
    return 0;
  }
  if (!values.url) throw new UserInputError('init needs --url, the MCP server URL (see "init --help")');
  const outFile = resolve(values.out ?? 'target.yaml');
  if (existsSync(outFile) && !values.force)
    throw new UserInputError(`${values.out ?? 'target.yaml'} already exists; use --force to overwrite it`);
  let target = targetFromUrl(values.url);
  const caFile = values.ca ? resolve(values.ca) : undefined;
  if (caFile) {
    let pem: string;
    try {
      pem = readFileSync(caFile, 'utf8');
    } catch {
      throw new UserInputError(`--ca: cannot read "${values.ca}"`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw new UserInputError(`--ca: "${values.ca}" holds no PEM certificate`);
    target = { ...target, caPem: pem };
  }
  const client = clientForTarget(target, new Redactor());
  const discovery = await discover(target, client).finally(() => client.close());
  const first = discovery.exchanges[0];
  if (!first?.response) {
    const reason = first?.error?.message ?? 'no response';
    const advice =
      !caFile && reason.includes('TLS certificate') ? ' (pass --ca FILE to trust a private CA)' : '';
    throw new UserInputError(`cannot reach ${values.url}: ${reason}${advice}`);
  }
  const text = renderTargetFile({ url: values.url, discovery, outFile, ...(caFile ? { caFile } : {}) });
  writeFileSync(outFile, text);
  const shown = relative(process.cwd(), outFile) || outFile;
  const lines = ['Discovered:'];
  for (const name of ['prm_url', 'issuer', 'as_metadata_url', 'registration_endpoint'] as const) {
    lines.push(
      `  ${name.padEnd(22)} ${discovery.values[name] ?? `not found: ${discovery.missing[name] ?? 'not looked up'}`}`,
    );
  }
  lines.push(
    '',
    `Wrote ${shown}. Set ${CLIENT_ID_VARIABLE} and ${CLIENT_SECRET_VARIABLE} to a test client's credentials (or remove the clients section), then:`,
    `  mcp-conformance validate ${shown}`,
    `  mcp-conformance run --target ${shown}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** A JSON document a discovery exchange received with 200, if any. */
function documentAt(exchanges: RecordedExchange[], url: string | undefined): Record<string, unknown> {
  const exchange = exchanges.find((x) => x.request.url === url && x.response?.status === 200);
  try {
    const value: unknown = exchange?.response ? JSON.parse(exchange.response.body) : undefined;
    return isPlainObject(value) ? value : {};
  } catch {
    return {};
  }
}

/** A YAML scalar: double-quoted JSON strings are valid YAML and need no further escaping. */
const scalar = (value: string) => JSON.stringify(value);

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function renderTargetFile(input: {
  url: string;
  discovery: Discovery;
  outFile: string;
  caFile?: string;
}): string {
  const { url, discovery, outFile } = input;
  const { values, missing } = discovery;
  const prm = documentAt(discovery.exchanges, values.prm_url);
  const metadata = documentAt(discovery.exchanges, values.as_metadata_url);
  const schemaPath = relative(dirname(outFile), packagePath('config', 'schemas', 'target.v1.json'));
  const resource = typeof prm.resource === 'string' ? prm.resource : undefined;
  const authMethods = stringList(metadata.token_endpoint_auth_methods_supported);
  const authMethod = ['client_secret_basic', 'client_secret_post'].find(
    (method) => authMethods.length === 0 || authMethods.includes(method),
  );
  const scopes = [
    ...new Set([...stringList(prm.scopes_supported), ...stringList(metadata.scopes_supported)]),
  ];
  const baseScope = stringList(prm.scopes_supported)[0];
  const lines: string[] = [
    `# yaml-language-server: $schema=${schemaPath.split('\\').join('/')}`,
    '#',
    `# Target file written by "mcp-conformance init" on ${new Date().toISOString().slice(0, 10)} from discovery of`,
    `#   ${url}`,
    '# Review it, set the environment variables it names, then:',
    '#   mcp-conformance validate <this file>',
    '#   mcp-conformance run --target <this file>',
    `# Secrets are read from environment variables only, as ${envReference('NAME')}, and never reach any report.`,
    'schema: mcp-conformance/target/v1',
    '# A label for the reports.',
    `name: ${scalar(new URL(url).host)}`,
  ];
  if (values.issuer) {
    lines.push(
      '# The authorization server (its issuer identifier), as the protected resource metadata lists it',
      `# in authorization_servers. Leave it out to have every run discover it again.`,
      `issuer: ${scalar(values.issuer)}`,
    );
  } else {
    lines.push(
      `# The authorization server's issuer identifier. Not discovered: ${missing.issuer ?? 'unknown reason'}.`,
      '# Set it here if the MCP server does not name its authorization server.',
      '# issuer: https://auth.example.com',
    );
  }
  lines.push(
    '# The MCP server under test.',
    'mcp:',
    '  # The MCP endpoint clients connect to.',
    `  url: ${scalar(url)}`,
  );
  if (resource && resource !== url) {
    lines.push(
      '  # The resource identifier its protected resource metadata declares (RFC 9728 "resource"). It',
      '  # differs from url: RFC 9728 requires them to be equal, so the suites will report it.',
      `  resource: ${scalar(resource)}`,
    );
  } else {
    lines.push(
      '  # The RFC 9728 resource identifier when it differs from url (discovery found them equal).',
      `  # resource: ${scalar(resource ?? url)}`,
    );
  }
  lines.push(
    '  # Another resource the same authorization server issues tokens for: tokens minted for it must be',
    '  # refused by this server (RFC 8707 audience tests).',
    '  # other_resource: https://other.example.com/mcp',
  );
  if (input.caFile) {
    lines.push(
      '# Extra CA certificates to trust (PEM), relative to this file, for a private PKI.',
      'tls:',
      `  ca_file: ${scalar(relative(dirname(outFile), input.caFile).split('\\').join('/'))}`,
    );
  } else {
    lines.push(
      '# tls:',
      '#   # extra CA certificates to trust (PEM), relative to this file',
      '#   ca_file: ./ca.pem',
    );
  }
  lines.push(
    '# The clients the token, introspection, revocation and audience suites use. Register a confidential',
    '# client for these tests (client credentials grant, the base scope below) and pass its credentials',
    '# through the environment. Remove this section to run only the suites that need no client.',
    'clients:',
    '  confidential:',
    `    client_id: ${envReference(CLIENT_ID_VARIABLE)}`,
    `    client_secret: ${envReference(CLIENT_SECRET_VARIABLE)}`,
    authMethods.length
      ? `    # the metadata offers: ${authMethods.join(', ')}`
      : '    # the metadata lists no token_endpoint_auth_methods_supported (default: client_secret_basic)',
    `    auth_method: ${authMethod ?? 'client_secret_basic'}`,
    '  # A client that authenticates with private_key_jwt (RFC 7523), its private key as a JWK (JSON) or',
    '  # PKCS#8 PEM, from the environment only.',
    '  # private_key_jwt:',
    `  #   client_id: ${envReference('MCP_CONFORMANCE_JWT_CLIENT_ID')}`,
    `  #   private_key: ${envReference('MCP_CONFORMANCE_JWT_CLIENT_KEY')}`,
    '  #   signing_alg: ES256',
    '  # A client whose access tokens expire within two seconds: suites wait for its token to expire and',
    '  # check that the MCP server refuses it.',
    '  # short_lived:',
    `  #   client_id: ${envReference('MCP_CONFORMANCE_SHORT_CLIENT_ID')}`,
    `  #   client_secret: ${envReference('MCP_CONFORMANCE_SHORT_CLIENT_SECRET')}`,
    `# The scopes that matter for token tests.${scopes.length ? ` Published: ${scopes.join(' ')}` : ' None is published.'}`,
    'scopes:',
    '  # A scope that lets a token use the MCP server.',
    baseScope ? `  base: ${scalar(baseScope)}` : '  # base: mcp:tools',
    '  # A tool that needs a further scope (answered 403 insufficient_scope without it), and that scope.',
    '  # restricted_tool: admin-reset',
    '  # restricted_scope: mcp:admin',
    '# Limits and conventions of the run.',
    'options:',
    '  # Deadline of every request, in milliseconds.',
    '  timeout_ms: 10000',
    '  # Responses larger than this are cut off and reported.',
    '  max_response_bytes: 1048576',
    '  # How the MCP server reports a missing scope: http-403 (Bearer insufficient_scope) or jsonrpc.',
    '  scope_error_style: http-403',
    '# Known failures you accept for now, each with the reason (id: suite/assertion); a listed assertion',
    '# that passes fails the run, so the list stays honest.',
    'expected_failures: []',
  );
  return `${lines.join('\n')}\n`;
}
