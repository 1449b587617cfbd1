import { EncodingDiffSchema, REDACTED } from '@cardfleet/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  hexSpellings,
  LITERAL_CMK,
  LITERAL_CR_KEY,
  literalSecretFiles,
} from '../../../test/support/literal-secrets';
import { memoryCloud } from '../../../test/support/test-cloud';

/** GET /v1/encodings/{id}/diff: two versions compared from their redacted views only. */
const files = (texts: Readonly<Record<string, string>>) =>
  Object.entries(texts).map(([name, text]) => ({ name, base64: Buffer.from(text).toString('base64') }));
const OTHER_CMK = '00112233445566778899AABBCCDDEEFF0011223344556677';

describe('the encoding diff API', () => {
  let cloud: Awaited<ReturnType<typeof memoryCloud>>;
  const diff = (query: string, token = cloud.tokens.admin) =>
    cloud.call('GET', `/v1/encodings/sealed/diff${query}`, { token });

  beforeAll(async () => {
    cloud = await memoryCloud();
    const ini = literalSecretFiles['encoding.ini'] as string;
    const versions = [
      literalSecretFiles,
      // The same secret literals in both versions; a label and a comment change around them.
      {
        ...literalSecretFiles,
        'encoding.ini': ini.replace('TokenLabel=card-0', 'TokenLabel=card-1'),
        'auth.apdu': (literalSecretFiles['auth.apdu'] as string).replace('# GET CHALLENGE', '# challenge'),
      },
      // The factory key itself changed.
      { ...literalSecretFiles, 'encoding.ini': ini.replace(LITERAL_CMK.toLowerCase(), OTHER_CMK) },
    ];
    for (const texts of versions) {
      const pushed = await cloud.call('POST', '/v1/encodings', {
        token: cloud.tokens.admin,
        body: { id: 'sealed', files: files(texts) },
      });
      expect(pushed.status).toBe(201);
    }
  });

  it('answers each changed file as a unified diff and as hunks, with no secret literal in either', async () => {
    const response = await diff('?from=1&to=2');
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const secret of [LITERAL_CMK, LITERAL_CR_KEY, OTHER_CMK])
      for (const spelling of hexSpellings(secret)) expect(text).not.toContain(spelling);
    const body = EncodingDiffSchema.parse(JSON.parse(text));
    expect(body.files.map((f) => [f.name, f.change])).toEqual([
      ['auth.apdu', 'changed'],
      ['encoding.ini', 'changed'],
    ]);
    const ini = body.files[1];
    expect(ini?.unified).toContain('--- sealed v1/encoding.ini\n+++ sealed v2/encoding.ini\n@@ ');
    expect(ini?.hunks.flatMap((h) => h.lines)).toEqual(
      expect.arrayContaining(['-TokenLabel=card-0', '+TokenLabel=card-1', ` CardManagerKey=${REDACTED}`]),
    );
    expect(body.diff).toBe(`${body.files[0]?.unified}${ini?.unified}`);
  });

  it('shows a changed secret literal as no change: both sides are redacted', async () => {
    const response = await diff('?from=1&to=3');
    const text = await response.text();
    for (const secret of [LITERAL_CMK, OTHER_CMK])
      for (const spelling of hexSpellings(secret)) expect(text).not.toContain(spelling);
    expect(JSON.parse(text)).toMatchObject({ files: [], diff: '' });
  });

  it('answers an empty diff between a version and itself', async () => {
    const response = await diff('?from=2&to=2');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 'sealed',
      from: 2,
      to: 2,
      redacted: true,
      files: [],
      diff: '',
    });
  });

  it('answers 404 for a version or an encoding that does not exist', async () => {
    for (const path of ['/v1/encodings/sealed/diff?from=1&to=9', '/v1/encodings/nothing/diff?from=1&to=2']) {
      const response = await cloud.call('GET', path, { token: cloud.tokens.admin });
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses a query without two positive versions with the API error body', async () => {
    for (const query of [
      '',
      '?from=1',
      '?from=abc&to=2',
      '?from=0&to=2',
      '?from=1.5&to=2',
      '?from=1&to=-2',
    ]) {
      const response = await diff(query);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: 'REQUEST_INVALID',
          message: 'give two versions: ?from=N&to=M (positive integers)',
          details: {},
        },
      });
    }
  });

  it('lets the roles that read encodings diff them, and nobody else', async () => {
    for (const token of [cloud.tokens.operatorBerlin, cloud.tokens.auditor])
      expect((await diff('?from=1&to=2', token)).status).toBe(200);
    expect((await diff('?from=1&to=2', cloud.tokens.agent)).status).toBe(403);
    expect((await cloud.call('GET', '/v1/encodings/sealed/diff?from=1&to=2')).status).toBe(401);
  });
});
