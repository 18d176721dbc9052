import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ReferenceTarget } from '../../fixtures/reference/index.js';
import { readZip } from '../../src/engine/browser/zip.js';

/** A target file's environment reference, `${env:NAME}`. */
const envReference = (name: string) => `\${env:${name}}`;

/**
 * Writes a target file (and its CA file) for a reference target a test owns, the way a user would:
 * secrets as `${env:NAME}` references, their values in the returned environment for the CLI.
 */
export function writeReferenceTargetFile(
  directory: string,
  target: ReferenceTarget,
  options: {
    name?: string;
    allClients?: boolean;
    expectedFailures?: boolean;
    /** declare the reference's client document host (cimd section, certificate and key files) */
    clientDocuments?: boolean;
    /** add the browser script of the reference's pages, optionally edited, and its consent policy */
    browser?: { editPages?: (pages: BrowserPageYaml[]) => void; executablePath?: string };
  } = {},
): { path: string; env: Record<string, string> } {
  writeFileSync(join(directory, 'ca.pem'), target.caPem);
  const privateKey = JSON.stringify(target.clients.privateKeyJwt.privateJwk);
  const env: Record<string, string> = { REF_SECRET: target.clients.confidential.clientSecret };
  const clients: Record<string, unknown> = {
    confidential: {
      client_id: target.clients.confidential.clientId,
      client_secret: envReference('REF_SECRET'),
      redirect_uri: target.clients.confidential.redirectUri,
    },
  };
  let browser: Record<string, unknown> = {};
  if (options.browser) {
    env.REF_USER = target.user.username;
    env.REF_PASSWORD = target.user.password;
    const pages = referenceBrowserPages();
    options.browser.editPages?.(pages);
    browser = {
      browser: {
        ...(options.browser.executablePath ? { executable_path: options.browser.executablePath } : {}),
        user: { username: envReference('REF_USER'), password: envReference('REF_PASSWORD') },
        pages,
      },
      consent: {
        policy: target.consentPolicy,
        revoke: {
          url: `${target.issuer}/account/consents`,
          actions: [
            { fill: { label: 'Username' }, value: '{{user.username}}' },
            { fill: { label: 'Application (client ID)' }, value: '{{client.id}}' },
            { click: { role: 'button', name: 'Revoke consent' } },
            { expect: { role: 'status' } },
          ],
        },
      },
    };
  }
  if (options.allClients) {
    env.REF_SHORT_SECRET = target.clients.shortLived.clientSecret;
    env.REF_PRIVATE_KEY = privateKey;
    clients.short_lived = {
      client_id: target.clients.shortLived.clientId,
      client_secret: envReference('REF_SHORT_SECRET'),
    };
    clients.private_key_jwt = {
      client_id: target.clients.privateKeyJwt.clientId,
      private_key: envReference('REF_PRIVATE_KEY'),
    };
    env.REF_INTROSPECTION_SECRET = target.clients.introspection.clientSecret;
    clients.public = { client_id: target.clients.public.clientId };
    clients.introspection = {
      client_id: target.clients.introspection.clientId,
      client_secret: envReference('REF_INTROSPECTION_SECRET'),
    };
  }
  const expected = options.expectedFailures
    ? (parse(
        readFileSync(new URL('../../fixtures/reference/expected-failures.yaml', import.meta.url), 'utf8'),
      ) as {
        expected_failures: unknown[];
      })
    : { expected_failures: [] };
  let cimd: Record<string, unknown> = {};
  if (options.clientDocuments) {
    writeFileSync(join(directory, 'cimd-host.pem'), target.clientDocumentHost.certPem);
    writeFileSync(join(directory, 'cimd-host-key.pem'), target.clientDocumentHost.keyPem);
    cimd = {
      cimd: {
        port: target.clientDocumentHost.port,
        tls: { cert_file: 'cimd-host.pem', key_file: 'cimd-host-key.pem' },
      },
    };
  }
  const path = join(directory, 'target.yaml');
  writeFileSync(
    path,
    stringify({
      schema: 'mcp-conformance/target/v1',
      ...(options.name ? { name: options.name } : {}),
      issuer: target.issuer,
      mcp: { url: target.mcpUrl, other_resource: target.secondResource },
      tls: { ca_file: 'ca.pem' },
      clients,
      step_up: {
        tool: target.stepUp.tool,
        acr_values: target.stepUp.acrValues.join(' '),
        max_age: target.stepUp.maxAge,
      },
      ...(target.registration
        ? {
            registration: {
              enabled: target.registration.enabled,
              ...(target.registration.allowedRedirectUris
                ? { allowed_redirect_uris: target.registration.allowedRedirectUris }
                : {}),
            },
          }
        : {}),
      scopes: {
        base: target.scopes.base,
        restricted_tool: 'admin-reset',
        restricted_scope: target.scopes.extra,
      },
      ...browser,
      ...cimd,
      options: { cors_origin: target.browserOrigin },
      expected_failures: expected.expected_failures,
    }),
  );
  return { path, env };
}

/** Everything a run wrote: its console output and each file in its report folder, by name. */
export function readRunOutputs(
  run: { stdout: string; stderr: string },
  reportDirectory: string,
): Record<string, string> {
  const outputs: Record<string, string> = { stdout: run.stdout, stderr: run.stderr };
  const files = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(directory, entry.name)) : [join(directory, entry.name)],
    );
  for (const path of files(reportDirectory)) {
    const name = relative(reportDirectory, path);
    const data = readFileSync(path);
    if (name.endsWith('.zip')) {
      // a Playwright trace: every entry of it, decompressed
      for (const [inner, content] of readZip(data)) outputs[`${name}!${inner}`] = content.toString('utf8');
    } else {
      // screenshots are scanned as bytes too: a secret drawn as text would not show, but one in metadata would
      outputs[name] = data.toString(/\.(png|jpg)$/.test(name) ? 'latin1' : 'utf8');
    }
  }
  return outputs;
}

export interface BrowserPageYaml {
  name: string;
  kind: string;
  match: Record<string, unknown>;
  actions: Record<string, unknown>[];
  deny?: Record<string, unknown>[];
}

/** The reference's login and consent pages as a target file scripts them. */
export function referenceBrowserPages(): BrowserPageYaml[] {
  return [
    {
      name: 'login',
      kind: 'login',
      match: { url: '/interaction/[^/]+$', visible: { role: 'heading', name: 'Sign in' } },
      actions: [
        { fill: { label: 'Username' }, value: '{{user.username}}' },
        { fill: { label: 'Password' }, value: '{{user.password}}' },
        { click: { role: 'button', name: 'Sign in' } },
      ],
    },
    {
      name: 'consent',
      kind: 'consent',
      match: { url: '/interaction/[^/]+$', visible: { role: 'heading', name: 'Authorize access' } },
      actions: [{ click: { role: 'button', name: 'Allow' } }],
      deny: [{ click: { role: 'button', name: 'Deny' } }],
    },
  ];
}
