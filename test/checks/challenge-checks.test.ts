import { describe, expect, it } from 'vitest';
import {
  acrValuesInclude,
  bearerChallengeWithParams,
  challengeAttributeSyntax,
  challengeNoDuplicateAttributes,
  challengeWellFormed,
  scopeTokens,
} from '../../src/checks/challenge-checks.js';

describe('bearer-challenge-with-params', () => {
  it('accepts a Bearer challenge with a parameter', () => {
    expect(bearerChallengeWithParams.run('Bearer realm="mcp"', {})).toEqual({ ok: true });
  });
  it('rejects a bare Bearer challenge', () => {
    expect(bearerChallengeWithParams.run('Bearer', {})).toEqual({
      ok: false,
      message: 'has a Bearer challenge without parameters',
      actual: 'Bearer',
    });
  });
  it('rejects a header without a Bearer challenge, and a missing header', () => {
    expect(bearerChallengeWithParams.run('Basic realm="x"', {})).toMatchObject({
      ok: false,
      message: 'has no Bearer challenge',
    });
    expect(bearerChallengeWithParams.run(undefined, {})).toMatchObject({
      ok: false,
      message: 'WWW-Authenticate is missing',
    });
  });
});

describe('challenge-no-duplicate-attributes', () => {
  it('accepts distinct attributes', () => {
    expect(challengeNoDuplicateAttributes.run('Bearer realm="a", scope="b"', {})).toEqual({ ok: true });
  });
  it('rejects a repeated error attribute, case-insensitively', () => {
    expect(challengeNoDuplicateAttributes.run('Bearer error="a", ERROR="b"', {})).toMatchObject({
      ok: false,
      message: 'repeats the "error" attribute',
    });
  });
});

describe('challenge-attribute-syntax', () => {
  it('accepts values within the allowed sets', () => {
    expect(
      challengeAttributeSyntax.run('Bearer error="invalid_token", scope="a:b c", error_uri="/e"', {}),
    ).toEqual({ ok: true });
  });
  it('rejects a quote inside error_description', () => {
    expect(challengeAttributeSyntax.run('Bearer error_description="say \\"hi\\""', {})).toMatchObject({
      ok: false,
      message: '"error_description" has characters outside the allowed set',
    });
  });
  it('rejects a scope with a double space', () => {
    expect(challengeAttributeSyntax.run('Bearer scope="a  b"', {})).toMatchObject({ ok: false });
  });
});

describe('challenge-well-formed', () => {
  it('accepts a well-formed header', () => {
    expect(challengeWellFormed.run('Bearer realm="x", Basic realm="y"', {})).toEqual({ ok: true });
  });
  it('rejects an unterminated quoted string', () => {
    expect(challengeWellFormed.run('Bearer realm="x', {})).toMatchObject({
      ok: false,
      message: 'is malformed: unterminated quoted string for parameter "realm"',
    });
  });
});

describe('scope-tokens', () => {
  it('accepts space-delimited tokens and rejects empty or quoted ones', () => {
    expect(scopeTokens.run('mcp:tools mcp:admin', {})).toEqual({ ok: true });
    expect(scopeTokens.run('', {})).toMatchObject({ ok: false });
    expect(scopeTokens.run('a"b', {})).toMatchObject({ ok: false });
  });
});

describe('acr-values-include', () => {
  it('accepts a list that names every required value, in any position', () => {
    expect(acrValuesInclude.run('urn:a urn:b', { values: 'urn:b' })).toEqual({ ok: true });
    expect(acrValuesInclude.run('urn:a', { values: 'urn:a' })).toEqual({ ok: true });
  });
  it('rejects a list without a required value', () => {
    expect(acrValuesInclude.run('urn:a', { values: 'urn:a urn:b' })).toEqual({
      ok: false,
      message: 'does not list "urn:b"',
      expected: 'urn:a urn:b',
      actual: 'urn:a',
    });
  });
  it('rejects values that are not single-space separated lists, or not strings', () => {
    expect(acrValuesInclude.run('urn:a  urn:b', { values: 'urn:a' })).toMatchObject({ ok: false });
    expect(acrValuesInclude.run(undefined, { values: 'urn:a' })).toMatchObject({
      ok: false,
      message: 'is not a string',
    });
  });
});
