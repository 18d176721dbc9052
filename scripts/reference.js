#!/usr/bin/env node
// Starts the bundled reference target (real oidc-provider + MCP SDK server on 127.0.0.1) and keeps it up
// until Ctrl-C. Run `npm run build` first: this loads the compiled fixtures from dist/.
//
//   node scripts/reference.js [--verbose] [--fault <name>]
//
// The CA certificate and the connection details (including the pre-registered client's secret, which is
// never printed) are written to a private temporary directory that is removed on exit.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    verbose: { type: 'boolean', default: false },
    fault: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: node scripts/reference.js [--verbose] [--fault <name>]');
  process.exit(0);
}

let reference;
let faults;
try {
  reference = await import('../dist/fixtures/reference/index.js');
  faults = values.fault ? await import('../dist/fixtures/faults/index.js') : undefined;
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('dist/fixtures not found: run `npm run build` first.');
  process.exit(2);
}

let fault;
if (values.fault) {
  fault = faults.faults.find((f) => f.name === values.fault);
  if (!fault) {
    console.error(
      `unknown fault "${values.fault}"; known faults: ${faults.faults.map((f) => f.name).join(', ')}`,
    );
    process.exit(2);
  }
}

const target = await reference.startReferenceTarget({
  ...fault?.variant,
  verbose: values.verbose,
  hooks: fault?.hooks,
  faultFlags: fault?.faultFlags,
});

const directory = mkdtempSync(join(tmpdir(), 'mcp-conformance-reference-'));
chmodSync(directory, 0o700);
const caFile = join(directory, 'ca.pem');
const detailsFile = join(directory, 'target.json');
writeFileSync(caFile, target.caPem, { mode: 0o600 });
// the client document host a target's `cimd` section declares: the authorization server fetches from it only
const documentHostCert = join(directory, 'cimd-host.pem');
const documentHostKey = join(directory, 'cimd-host-key.pem');
writeFileSync(documentHostCert, target.clientDocumentHost.certPem, { mode: 0o600 });
writeFileSync(documentHostKey, target.clientDocumentHost.keyPem, { mode: 0o600 });
writeFileSync(
  detailsFile,
  `${JSON.stringify(
    {
      issuer: target.issuer,
      mcpUrl: target.mcpUrl,
      resource: target.resource,
      secondResource: target.secondResource,
      caFile,
      clients: target.clients,
      scopes: target.scopes,
      user: target.user,
      consentPolicy: target.consentPolicy,
      stepUp: target.stepUp,
      ...(target.registration ? { registration: target.registration } : {}),
      cimd: {
        port: target.clientDocumentHost.port,
        tls: { cert_file: documentHostCert, key_file: documentHostKey },
      },
    },
    null,
    2,
  )}\n`,
  { mode: 0o600 },
);

reference.stopOnSignals({
  stop: async () => {
    await target.stop();
    rmSync(directory, { recursive: true, force: true });
  },
});

console.log(`reference target${fault ? ` with fault "${values.fault}"` : ''} is up`);
console.log(`  issuer          ${target.issuer}`);
console.log(`  MCP URL         ${target.mcpUrl}`);
console.log(`  second resource ${target.secondResource}`);
console.log(`  CA certificate  ${caFile}`);
console.log(
  `  CIMD host       ${target.clientDocumentHost.baseUrl} (target cimd.port; cert and key in the details)`,
);
console.log(`  details         ${detailsFile} (includes the client secrets and the test user's password)`);
console.log('press Ctrl-C to stop');
