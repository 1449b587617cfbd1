import { describe, expect, it } from 'vitest';
import { CardfleetError } from '../errors/cardfleet-error';
import { isSecretKey, logFields } from './log-fields';
import { memoryLogger } from './logger';

describe('log records', () => {
  it('hide the values of secret keys at any depth, and keep the rest', () => {
    const log = memoryLogger();
    log.info('pins entered', {
      jobId: 'job-1',
      pin: '593817',
      entries: [{ transport: 'T', newPin: '112233', confirmation: '112233' }],
      body: { token: 'eyJ.secret', settings: { CardManagerKey: '404142', password: 'pw' } },
    });
    const text = JSON.stringify(log.records);
    for (const secret of ['593817', '112233', 'eyJ.secret', '404142', '"pw"'])
      expect(text).not.toContain(secret);
    expect(log.records[0]).toMatchObject({
      level: 'info',
      msg: 'pins entered',
      jobId: 'job-1',
      pin: '[REDACTED]',
    });
  });

  it('carry an error as its code, message, stack and cause', () => {
    const log = memoryLogger();
    const cause = new Error('socket hang up');
    log.error('storage failed', {
      err: new CardfleetError('STORAGE_UNAVAILABLE', 'table unreachable', { cause }),
    });
    const err = log.records[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE', message: 'table unreachable' });
    expect(String(err.stack)).toContain('log-fields.test.ts');
    expect(err.cause).toMatchObject({ message: 'socket hang up' });
  });

  it('of a child logger carry its bindings', () => {
    const log = memoryLogger();
    log.child({ requestId: 'req-1' }).child({ jobId: 'job-1' }).warn('late');
    expect(log.records).toEqual([{ level: 'warn', msg: 'late', requestId: 'req-1', jobId: 'job-1' }]);
  });
});

describe('secret keys', () => {
  it('are the secret words whole, in any case', () => {
    const words = [
      'pin',
      'puk',
      'key',
      'token',
      'password',
      'secret',
      'secrets',
      'literals',
      'authorization',
      'confirmation',
      'cardmanagerkey',
      'cmk',
      'privatekey',
      'masterkey',
      'bearer',
    ];
    for (const word of words)
      expect([word, isSecretKey(word), isSecretKey(word.toUpperCase())]).toEqual([word, true, true]);
  });

  it('are names ending in a secret word', () => {
    const names = [
      'newPin',
      'transportPUK',
      'apiToken',
      'adminPassword',
      'clientSecret',
      'rsaPrivateKey',
      'aesMasterKey',
      'theCardManagerKey',
      'signingKey',
      'agentSecretKey',
      'sessionKey',
      'apiKey',
      'crKey',
    ];
    expect(names.filter(isSecretKey)).toEqual(names);
  });

  it('are not names that end in a key that is no secret', () => {
    const names = ['publicKey', 'idempotencyKey', 'sortKey', 'partitionKey', 'keyId'];
    expect(names.filter(isSecretKey)).toEqual([]);
  });

  it('are not names that only start with or hold a secret word', () => {
    const names = [
      'pinned',
      'keyId',
      'tokenType',
      'secretsPath',
      'bearerScheme',
      'literalsCount',
      'cmkVersion',
      'xcmk',
      'mybearer',
      'pinsEntered',
      'jobId',
      '',
    ];
    expect(names.filter(isSecretKey)).toEqual([]);
  });
});

describe('log fields', () => {
  it('keep plain values, null, and say how many bytes a byte array holds', () => {
    expect(
      logFields({
        n: 1,
        s: 'x',
        b: false,
        none: null,
        undef: undefined,
        bytes: Uint8Array.of(1, 2, 3),
        list: [1, 'a'],
      }),
    ).toEqual({ n: 1, s: 'x', b: false, none: null, undef: undefined, bytes: '[3 bytes]', list: [1, 'a'] });
  });

  it('redact secret keys inside arrays and nested objects, and keep their siblings', () => {
    expect(
      logFields({
        entries: [{ pin: '1234', reader: 'R1' }, [{ apiToken: 't' }]],
        outer: { inner: { puk: 'p', ok: 1 } },
      }),
    ).toEqual({
      entries: [{ pin: '[REDACTED]', reader: 'R1' }, [{ apiToken: '[REDACTED]' }]],
      outer: { inner: { puk: '[REDACTED]', ok: 1 } },
    });
  });

  it('cut nesting below six levels', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nest(levels - 1) });
    expect(logFields({ a: nest(5) })).toEqual({ a: { a: { a: { a: { a: { a: 'leaf' } } } } } });
    expect(logFields({ a: nest(6) })).toEqual({ a: { a: { a: { a: { a: { a: { a: '[…]' } } } } } } });
    const list = (levels: number): unknown => (levels === 0 ? 'leaf' : [list(levels - 1)]);
    expect(logFields({ a: list(6) })).toEqual({ a: [[[[[['[…]']]]]]] });
  });

  it('carry an error as its type, string code, message, stack and cause, and nothing else', () => {
    const plain = Object.assign(new TypeError('bad'), { code: 42, pin: '1234' });
    plain.stack = '';
    expect(logFields({ err: plain })).toEqual({ err: { type: 'TypeError', message: 'bad' } });
    const coded = Object.assign(new Error('refused', { cause: null }), { code: 'ECONNREFUSED' });
    expect(logFields({ err: coded })).toEqual({
      err: { type: 'Error', code: 'ECONNREFUSED', message: 'refused', stack: coded.stack, cause: null },
    });
    const typed = new CardfleetError('PIN_LOCKED', 'locked', { cause: { pin: '1234', slot: 1 } });
    expect(logFields({ err: typed })).toEqual({
      err: {
        type: 'CardfleetError',
        code: 'PIN_LOCKED',
        message: 'locked',
        stack: typed.stack,
        cause: { pin: '[REDACTED]', slot: 1 },
      },
    });
  });

  it('follow a chain of causes only so deep', () => {
    let error = new Error('e0');
    for (let i = 1; i <= 8; i++) error = new Error(`e${i}`, { cause: error });
    const messages: unknown[] = [];
    let at: unknown = (logFields({ err: error }) as { err: unknown }).err;
    while (at && typeof at === 'object') {
      messages.push((at as { message: unknown }).message);
      at = (at as { cause?: unknown }).cause;
    }
    expect(messages).toEqual(['e8', 'e7', 'e6', 'e5', 'e4', 'e3']);
    expect(at).toBe('[…]');
  });
});
