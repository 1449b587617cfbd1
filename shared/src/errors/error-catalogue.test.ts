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
});
