import { describe, expect, it } from 'vitest';
import {
  cacheControlNoStore,
  clientSecretExpiry,
  clientSecretForAuthMethod,
  grantResponseTypesConsistent,
  registrationErrorResponse,
  registrationManagementFields,
} from '../../src/checks/registration-checks.js';

describe('cache-control-no-store', () => {
  it('accepts no-store among other directives, in any case', () => {
    expect(cacheControlNoStore.run('no-store', {})).toEqual({ ok: true });
    expect(cacheControlNoStore.run('private, No-Store, max-age=0', {})).toEqual({ ok: true });
  });
  it('rejects a header without no-store, and a missing header', () => {
    expect(cacheControlNoStore.run('no-cache, max-age=0', {})).toEqual({
      ok: false,
      message: '"no-cache, max-age=0" has no "no-store" directive',
      expected: 'no-store',
      actual: 'no-cache, max-age=0',
    });
    expect(cacheControlNoStore.run(undefined, {})).toEqual({
      ok: false,
      message: 'Cache-Control is missing',
      expected: 'no-store',
    });
  });
});

describe('client-secret-expiry', () => {
  it('accepts a secret with an expiry, and a response without a secret', () => {
    expect(clientSecretExpiry.run({ client_secret: 's3cr3t', client_secret_expires_at: 0 }, {})).toEqual({
      ok: true,
    });
    expect(clientSecretExpiry.run({ client_id: 'c' }, {})).toEqual({ ok: true });
  });
  it('rejects a secret without expiry, a non-integer expiry and a non-object', () => {
    expect(clientSecretExpiry.run({ client_secret: 's3cr3t' }, {})).toEqual({
      ok: false,
      message: 'issues "client_secret" without "client_secret_expires_at"',
      expected: 'an integer',
    });
    expect(clientSecretExpiry.run({ client_secret: 's3cr3t', client_secret_expires_at: '0' }, {})).toEqual({
      ok: false,
      message: '"client_secret_expires_at" is not a non-negative integer',
      actual: '0',
    });
    expect(clientSecretExpiry.run([], {})).toMatchObject({ ok: false, message: 'is not a JSON object' });
  });
});

describe('client-secret-for-auth-method', () => {
  it('accepts a secret with a secret-based method and none without one', () => {
    expect(
      clientSecretForAuthMethod.run(
        { token_endpoint_auth_method: 'client_secret_post', client_secret: 'x' },
        {},
      ),
    ).toEqual({ ok: true });
    expect(clientSecretForAuthMethod.run({ token_endpoint_auth_method: 'none' }, {})).toEqual({ ok: true });
    expect(clientSecretForAuthMethod.run({ token_endpoint_auth_method: 'private_key_jwt' }, {})).toEqual({
      ok: true,
    });
  });
  it('rejects a secret-based method (or the default) without a secret, and "none" with one', () => {
    expect(clientSecretForAuthMethod.run({ token_endpoint_auth_method: 'client_secret_basic' }, {})).toEqual({
      ok: false,
      message: '"token_endpoint_auth_method" is "client_secret_basic" but no "client_secret" was issued',
      expected: 'a client_secret',
      actual: 'client_secret_basic',
    });
    expect(clientSecretForAuthMethod.run({ client_id: 'c' }, {})).toMatchObject({
      ok: false,
      message: '"token_endpoint_auth_method" is "client_secret_basic" but no "client_secret" was issued',
    });
    expect(
      clientSecretForAuthMethod.run({ token_endpoint_auth_method: 'none', client_secret: 'x' }, {}),
    ).toEqual({
      ok: false,
      message: '"token_endpoint_auth_method" is "none" but a "client_secret" was issued',
      actual: 'none',
    });
  });
});

describe('registration-management-fields', () => {
  it('accepts both fields or neither', () => {
    expect(
      registrationManagementFields.run(
        { registration_client_uri: 'https://as/reg/c', registration_access_token: 't' },
        {},
      ),
    ).toEqual({ ok: true });
    expect(registrationManagementFields.run({ client_id: 'c' }, {})).toEqual({ ok: true });
  });
  it('rejects one without the other, and empty values', () => {
    expect(registrationManagementFields.run({ registration_client_uri: 'https://as/reg/c' }, {})).toEqual({
      ok: false,
      message: 'has "registration_client_uri" without its counterpart',
      actual: ['registration_client_uri'],
    });
    expect(
      registrationManagementFields.run(
        { registration_client_uri: 'https://as/reg/c', registration_access_token: '' },
        {},
      ),
    ).toEqual({
      ok: false,
      message: '"registration_access_token" is not a non-empty string',
      actual: 'string',
    });
  });
});

describe('grant-response-types-consistent', () => {
  it('accepts an invalid_client_metadata refusal and consistent clients, defaults included', () => {
    expect(grantResponseTypesConsistent.run({ error: 'invalid_client_metadata' }, {})).toEqual({ ok: true });
    expect(
      grantResponseTypesConsistent.run(
        { grant_types: ['client_credentials', 'authorization_code'], response_types: ['code'] },
        {},
      ),
    ).toEqual({ ok: true });
    expect(
      grantResponseTypesConsistent.run({ grant_types: ['client_credentials'], response_types: [] }, {}),
    ).toEqual({ ok: true });
    expect(grantResponseTypesConsistent.run({ client_id: 'c' }, {})).toEqual({ ok: true });
  });
  it('rejects another error code and a client whose types do not fit', () => {
    expect(grantResponseTypesConsistent.run({ error: 'invalid_request' }, {})).toEqual({
      ok: false,
      message: 'is refused with "invalid_request", not "invalid_client_metadata"',
      expected: 'invalid_client_metadata',
      actual: 'invalid_request',
    });
    expect(
      grantResponseTypesConsistent.run({ grant_types: ['client_credentials'], response_types: ['code'] }, {}),
    ).toEqual({
      ok: false,
      message: 'has response type "code" without the "authorization_code" grant',
      actual: { grant_types: ['client_credentials'], response_types: ['code'] },
    });
    expect(grantResponseTypesConsistent.run({ response_types: [] }, {})).toMatchObject({
      ok: false,
      message: 'has the "authorization_code" grant without response type "code"',
    });
  });
});

describe('registration-error-response', () => {
  it('accepts an ASCII code, with or without a multi-line ASCII description', () => {
    expect(registrationErrorResponse.run({ error: 'invalid_redirect_uri' }, {})).toEqual({ ok: true });
    expect(
      registrationErrorResponse.run(
        {
          error: 'invalid_client_metadata',
          error_description: 'redirect_uris: "x" is "not a URL"\n\tat [0]',
        },
        {},
      ),
    ).toEqual({ ok: true });
  });
  it('rejects a missing or spaced code, a non-ASCII description and a non-object', () => {
    expect(registrationErrorResponse.run({ error_description: 'x' }, {})).toEqual({
      ok: false,
      message: 'has no ASCII "error" code',
      actual: undefined,
    });
    expect(registrationErrorResponse.run({ error: 'bad code' }, {})).toMatchObject({ ok: false });
    expect(
      registrationErrorResponse.run({ error: 'invalid_client_metadata', error_description: 'ungültig' }, {}),
    ).toEqual({
      ok: false,
      message: '"error_description" is not ASCII text',
      actual: 'ungültig',
    });
    expect(registrationErrorResponse.run('error', {})).toMatchObject({
      ok: false,
      message: 'is not a JSON object',
    });
  });
});
