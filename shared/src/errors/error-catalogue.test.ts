import { describe, expect, it } from 'vitest';
import { CardfleetError } from './cardfleet-error';
import {
  ERROR_DOMAINS,
  errorStatus,
  isErrorCode,
  isRetryableError,
  relayedErrorCode,
} from './error-catalogue';

describe('error catalogue', () => {
  it('lists each code in one domain only', () => {
    const codes = ERROR_DOMAINS.flatMap((d) => d.codes.options);
    expect(codes.length).toBeGreaterThan(100);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('answers contention and dependency failures as retryable 503s, client conflicts as 409', () => {
    for (const code of ['WRITE_CONTENTION', 'AUDIT_CONTENTION', 'KMS_SIGN_FAILED', 'BROKER_UNREACHABLE']) {
      expect([code, errorStatus(code), isRetryableError(code)]).toEqual([code, 503, true]);
    }
    expect([errorStatus('CONFLICT'), isRetryableError('CONFLICT')]).toEqual([409, false]);
    expect(errorStatus(new CardfleetError('ENCODING_UNKNOWN_KEY', 'x').code)).toBe(400);
  });

  it('treats PKCS#11 names and uncatalogued codes as internal', () => {
    expect(errorStatus('CKR_GENERAL_ERROR')).toBe(500);
    expect(errorStatus('SOMETHING_ELSE')).toBe(500);
    expect(isErrorCode('CKR_GENERAL_ERROR')).toBe(true);
    expect(isErrorCode('SOMETHING_ELSE')).toBe(false);
  });

  it('relays a code from another cardfleet process only when it is catalogued', () => {
    expect(relayedErrorCode('NOT_FOUND', 'ENROL_FAILED')).toBe('NOT_FOUND');
    expect(relayedErrorCode('<script>', 'ENROL_FAILED')).toBe('ENROL_FAILED');
    expect(relayedErrorCode(undefined, 'HTTP_502')).toBe('HTTP_502');
  });

  it('takes as a code a catalogued name, a CKR_ name of upper-case letters, digits and _, or HTTP_ and digits', () => {
    const verdicts = Object.fromEntries(
      [
        'NOT_FOUND',
        'not_found',
        'CKR_PIN_INCORRECT',
        'CKR_0X1A2',
        'CKR_A',
        'CKR_',
        'CKR_pin',
        'CKR_A-B',
        'XCKR_A',
        'CKR_A ',
        'HTTP_502',
        'HTTP_5',
        'HTTP_',
        'HTTP_50x',
        'HTTP_x',
        'xHTTP_502',
        'HTTP_502 ',
      ].map((code) => [code, isErrorCode(code)]),
    );
    expect(verdicts).toEqual({
      NOT_FOUND: true,
      not_found: false,
      CKR_PIN_INCORRECT: true,
      CKR_0X1A2: true,
      CKR_A: true,
      CKR_: false,
      CKR_pin: false,
      'CKR_A-B': false,
      XCKR_A: false,
      'CKR_A ': false,
      HTTP_502: true,
      HTTP_5: true,
      HTTP_: false,
      HTTP_50x: false,
      HTTP_x: false,
      xHTTP_502: false,
      'HTTP_502 ': false,
    });
  });

  it('answers 500 for relayed HTTP_ and CKR_ codes, which are not retryable', () => {
    expect([errorStatus('HTTP_503'), isRetryableError('HTTP_503')]).toEqual([500, false]);
    expect([errorStatus('INTERNAL'), isRetryableError('INTERNAL')]).toEqual([500, false]);
    expect(relayedErrorCode('CKR_PIN_LOCKED', 'ENROL_FAILED')).toBe('CKR_PIN_LOCKED');
    expect(relayedErrorCode('HTTP_404', 'ENROL_FAILED')).toBe('HTTP_404');
    expect(relayedErrorCode('', 'ENROL_FAILED')).toBe('ENROL_FAILED');
  });
});
