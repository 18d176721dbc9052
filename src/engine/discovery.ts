import { isPlainObject } from '../checks/check.js';
import type { Target } from '../suite/target.js';
import type { RecordedExchange } from './exchange.js';
import type { HttpClient } from './http-client.js';
import { headerText } from './http-client.js';
import { mcpInitializeBody, mcpRequestHeaders } from './mcp-requests.js';
import { responseJson } from './response-json.js';
import { appendWellKnown, asMetadataProbeOrder, insertWellKnown, originOf } from './well-known.js';
import { findChallenge, paramValues, parseWwwAuthenticate } from './www-authenticate.js';

/**
 * The values every suite builds on, found once per run: the MCP server's 401 challenge, its protected
 * resource metadata, the authorization server and its metadata. Each value that could not be found
 * carries the reason, which becomes the skip reason of every step that needs it.
 */
export interface Discovery {
  values: Record<string, string>;
  missing: Record<string, string>;
  exchanges: RecordedExchange[];
}

/** The endpoints discovery reads from the authorization server metadata. */
const ENDPOINT_NAMES = [
  'jwks_uri',
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'introspection_endpoint',
  'revocation_endpoint',
] as const;

/** Every name a suite may use as `{{ discovery.NAME }}`. */
export const DISCOVERY_NAMES = [
  'mcp_url',
  'mcp_origin',
  'resource',
  'prm_url_from_challenge',
  'prm_url_path_inserted',
  'prm_url_root',
  'prm_url',
  'issuer',
  'as_metadata_url_rfc8414',
  'as_metadata_url_rfc8414_appended',
  'as_metadata_url_path_inserted',
  'openid_configuration_url',
  'openid_configuration_url_path_inserted',
  'as_metadata_url',
  'mcp_origin_as_metadata_url',
  'mcp_origin_without_metadata',
  ...ENDPOINT_NAMES,
  'authorization_response_iss_parameter_supported',
  'client_id_metadata_document_supported',
  'grant_client_credentials',
  'code_flow_scope',
] as const;

export type DiscoveryName = (typeof DISCOVERY_NAMES)[number];

export async function discover(target: Target, client: HttpClient): Promise<Discovery> {
  const values: Record<string, string> = {};
  const missing: Record<string, string> = {};
  const exchanges: RecordedExchange[] = [];
  const set = (name: DiscoveryName, value: string | undefined, why: string) => {
    if (value) values[name] = value;
    else missing[name] = why;
  };
  const getJson = async (url: string, headers: Record<string, string> = { accept: 'application/json' }) => {
    const { exchange, response } = await client.send({ method: 'GET', url, headers });
    exchanges.push(exchange);
    if (response?.status !== 200) return undefined;
    const document = responseJson(response);
    return document.ok && isPlainObject(document.value) ? document.value : undefined;
  };

  let prm: Record<string, unknown> | undefined;
  if (target.mcp) {
    const { url, resource } = target.mcp;
    set('mcp_url', url, '');
    set('mcp_origin', originOf(url), '');
    set('resource', resource, '');
    set('prm_url_path_inserted', insertWellKnown(resource, 'oauth-protected-resource'), '');
    set('prm_url_root', insertWellKnown(originOf(resource), 'oauth-protected-resource'), '');
    set('mcp_origin_as_metadata_url', insertWellKnown(originOf(url), 'oauth-authorization-server'), '');

    const { exchange, response } = await client.send({
      method: 'POST',
      url,
      headers: mcpRequestHeaders(),
      body: JSON.stringify(mcpInitializeBody()),
    });
    exchanges.push(exchange);
    let fromChallenge: string | undefined;
    let challengeWhy = `the MCP server did not answer: ${exchange.error?.message ?? ''}`;
    if (response) {
      const header = headerText(response.headers['www-authenticate']);
      const bearer = header ? findChallenge(parseWwwAuthenticate(header), 'Bearer') : undefined;
      fromChallenge = bearer ? paramValues(bearer, 'resource_metadata')[0] : undefined;
      challengeWhy =
        response.status !== 401
          ? `the MCP server answered ${response.status}, not 401, without a token`
          : !bearer
            ? 'the 401 has no Bearer challenge'
            : 'the Bearer challenge has no resource_metadata parameter';
    }
    set('prm_url_from_challenge', fromChallenge, challengeWhy);

    for (const candidate of [fromChallenge, values.prm_url_path_inserted, values.prm_url_root]) {
      if (!candidate) continue;
      prm = await getJson(candidate);
      if (prm) {
        set('prm_url', candidate, '');
        break;
      }
    }
    if (!prm)
      missing.prm_url =
        'no protected resource metadata was found (challenge, path-inserted and root locations)';
  }

  if (target.mcp) {
    // MCP 2025-03-26 falls back to default endpoints at the MCP origin only when it serves no metadata
    const url = values.mcp_origin_as_metadata_url!;
    const { exchange, response } = await client.send({
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
    });
    exchanges.push(exchange);
    set(
      'mcp_origin_without_metadata',
      response?.status === 404 ? values.mcp_origin : undefined,
      response
        ? `the MCP origin answers ${response.status} at ${url}, so the 2025-03-26 default endpoints do not apply`
        : `the MCP origin did not answer at ${url}`,
    );
  }

  const listed = Array.isArray(prm?.authorization_servers) ? (prm.authorization_servers as unknown[]) : [];
  const firstListed = typeof listed[0] === 'string' ? listed[0] : undefined;
  const issuer = target.issuer ?? firstListed;
  set(
    'issuer',
    issuer,
    prm
      ? 'the protected resource metadata lists no authorization server'
      : 'no issuer is configured and none was discovered',
  );
  if (!issuer || !URL.canParse(issuer)) {
    if (issuer) missing.issuer = `the issuer "${issuer}" is not a URL`;
    return { values, missing, exchanges };
  }
  set('as_metadata_url_rfc8414', insertWellKnown(issuer, 'oauth-authorization-server'), '');
  set('as_metadata_url_rfc8414_appended', appendWellKnown(issuer, 'oauth-authorization-server'), '');
  set('openid_configuration_url', appendWellKnown(issuer, 'openid-configuration'), '');
  set('openid_configuration_url_path_inserted', insertWellKnown(issuer, 'openid-configuration'), '');

  let metadata: Record<string, unknown> | undefined;
  for (const candidate of asMetadataProbeOrder(issuer)) {
    metadata = await getJson(candidate.url);
    if (metadata) {
      set('as_metadata_url', candidate.url, '');
      break;
    }
  }
  // RFC 8414 §3 inserts "a well-known URI string" between host and path: oauth-authorization-server by
  // default, openid-configuration for OpenID applications (§5). The default location is judged unless
  // it is not there at all (404) and the openid-configuration one, inserted the same way, holds the
  // metadata: then that one is the server's RFC 8414 location.
  const defaultLocation = insertWellKnown(issuer, 'oauth-authorization-server');
  const openidInserted = insertWellKnown(issuer, 'openid-configuration');
  set(
    'as_metadata_url_path_inserted',
    values.as_metadata_url === openidInserted &&
      exchanges.find((exchange) => exchange.request.url === defaultLocation)?.response?.status === 404
      ? openidInserted
      : defaultLocation,
    '',
  );
  const why = metadata
    ? 'the authorization server metadata does not list it'
    : 'no authorization server metadata was found';
  if (!metadata)
    missing.as_metadata_url = `no authorization server metadata at any of the locations MCP clients try for ${issuer}`;
  for (const name of ENDPOINT_NAMES) {
    const value = metadata?.[name];
    set(name, typeof value === 'string' ? value : undefined, why);
  }
  // present only when advertised, so assertions on the RFC 9207 `iss` parameter can `needs:` it
  set(
    'authorization_response_iss_parameter_supported',
    metadata?.authorization_response_iss_parameter_supported === true ? 'true' : undefined,
    metadata
      ? 'the authorization server metadata does not set authorization_response_iss_parameter_supported to true (RFC 9207 §3)'
      : why,
  );
  // present only when advertised, so client ID metadata document steps can `needs:` it
  set(
    'client_id_metadata_document_supported',
    metadata?.client_id_metadata_document_supported === true ? 'true' : undefined,
    metadata
      ? 'the authorization server metadata does not set client_id_metadata_document_supported to true (draft-ietf-oauth-client-id-metadata-document §5)'
      : why,
  );
  // present only when listed, so token requests of that grant are sent only to servers that offer it
  // (RFC 8414 §2: an absent grant_types_supported means authorization_code and implicit only)
  const grants = metadata?.grant_types_supported;
  set(
    'grant_client_credentials',
    Array.isArray(grants) && grants.includes('client_credentials') ? 'true' : undefined,
    metadata
      ? 'the authorization server metadata does not list client_credentials in grant_types_supported (RFC 8414 §2)'
      : why,
  );
  // the scope of authorization requests that want a refresh token: offline_access only where the
  // server lists it (OpenID Connect Core §11); elsewhere issuing one is the server's choice
  const scopes = metadata?.scopes_supported;
  const offline = Array.isArray(scopes) && scopes.includes('offline_access') ? ['offline_access'] : [];
  set(
    'code_flow_scope',
    [target.scopes.base, ...offline].filter(Boolean).join(' '),
    'the target names no base scope',
  );
  return { values, missing, exchanges };
}
