import { describe, expect, it } from 'vitest';
import { BatchErrors } from './batch-error-codes';
import {
  CataloguedErrorCode,
  ERROR_DOMAINS,
  errorStatus,
  isErrorCode,
  isRetryableError,
} from './error-catalogue';
import {
  AgentErrors,
  ApiErrors,
  CardErrors,
  CliErrors,
  CryptoErrors,
  domain,
  EncodingErrors,
  EnvelopeErrors,
  MessagingErrors,
  ResultErrors,
  ScriptErrors,
  StorageErrors,
  TokenErrors,
} from './error-codes';
import { JobErrors } from './job-error-codes';
import { ReleaseErrors } from './release-error-codes';
import { SignInErrors } from './sign-in-error-codes';

/**
 * The catalogue as clients see it: each code and the HTTP status the API answers for it
 * (docs/cloud.md). Codes are stable — tests, API bodies and result records key on them —
 * so a code dropped, renamed or moved to another status must show up here.
 */
const EXPECTED: Record<string, Record<string, number>> = {
  AgentErrors: {
    AGENT_NOT_ENROLLED: 500,
    BODY_TOO_LARGE: 500,
    CONFIG_INVALID: 500,
    CONFIG_MISSING: 500,
    CONFIG_UNREADABLE: 500,
    CONSOLE_ERROR: 500,
    CONSOLE_HOST: 500,
    CONSOLE_NOT_RUNNING: 500,
    CONSOLE_UNAUTHORISED: 500,
    ENROL_FAILED: 500,
    PIN_ANSWER_INVALID: 500,
    PIN_CANCELLED: 500,
    PIN_CONFIRMATION: 500,
    PIN_FINAL_TRY: 500,
    PIN_REQUEST_UNKNOWN: 500,
    PIN_RULE: 500,
    PIN_RULE_UNSUPPORTED: 500,
    PIN_TIMEOUT: 500,
  },
  ApiErrors: {
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    OFFICE_REQUIRED: 403,
    ROLE_AMBIGUOUS: 403,
    ENROLMENT_REFUSED: 401,
    TOKEN_LIFETIME: 401,
    NOT_FOUND: 404,
    CONFLICT: 409,
    PAYLOAD_TOO_LARGE: 413,
    REQUEST_INVALID: 400,
    INTERNAL: 500,
  },
  CardErrors: {
    CARD_BAD_RESPONSE: 500,
    CARD_ENDLESS_CHAINING: 500,
    CARD_MEMORY_FULL: 500,
    CARD_NOT_CONNECTED: 500,
    CARD_NOT_TRANSACTED: 500,
    CARD_PROFILE_INVALID: 500,
    CARD_PROFILE_UNREADABLE: 500,
    CARD_REMOVED: 500,
    CARD_RESET: 500,
    CARD_SHARING_VIOLATION: 500,
    CARD_TIMEOUT: 500,
    CARD_UNPOWERED: 500,
    CARD_UNRESPONSIVE: 500,
    NO_CARD: 500,
    NO_READERS: 500,
    PCSC_BUFFER_TOO_SMALL: 500,
    PCSC_COMM_ERROR: 500,
    PCSC_ERROR: 500,
    PCSC_INVALID_HANDLE: 500,
    PCSC_NO_SERVICE: 500,
    PCSC_SERVICE_STOPPED: 500,
    PCSC_UNAVAILABLE: 500,
    READER_TIMEOUT: 500,
    READER_UNAVAILABLE: 500,
    UNKNOWN_READER: 500,
  },
  CliErrors: {
    API_UNREACHABLE: 500,
    CLI_USAGE: 500,
    FIELDS_BAD_JSON: 500,
    FILE_UNREADABLE: 500,
    WAIT_TIMEOUT: 500,
  },
  CryptoErrors: {
    KMS_SIGN_FAILED: 503,
    KMS_ENCRYPT_FAILED: 503,
    KMS_DECRYPT_FAILED: 503,
    KMS_NO_PUBLIC_KEY: 500,
    KEY_INVALID: 500,
    KEY_UNKNOWN: 500,
    DECRYPTION_FAILED: 500,
    SIGNATURE_INVALID: 500,
    SECRETS_UNREADABLE: 500,
    CR_BAD_INPUT_LENGTH: 500,
    CR_BAD_KEY_LENGTH: 500,
    CR_KEY_MISSING: 500,
  },
  EncodingErrors: {
    BUNDLE_BAD_ZIP: 400,
    BUNDLE_DUPLICATE_FILE: 400,
    BUNDLE_EXTRA_FILE: 400,
    BUNDLE_MISSING_SCRIPT: 400,
    BUNDLE_NOT_FOUND: 400,
    BUNDLE_NOT_UTF8: 400,
    BUNDLE_NO_ENCODING: 400,
    BUNDLE_SEVERAL_ENCODINGS: 400,
    BUNDLE_TOO_LARGE: 413,
    PROBLEMS_OMITTED: 400,
    ENCODING_APPLICATION_KIND: 400,
    ENCODING_APPLICATION_TWICE: 400,
    ENCODING_BAD_FIELD_REFERENCE: 400,
    ENCODING_BAD_VALUE: 400,
    ENCODING_DEPRECATED_KEY: 400,
    ENCODING_INCOMPLETE: 400,
    ENCODING_INIT_AND_SET_PIN: 400,
    ENCODING_INVALID: 400,
    ENCODING_KEY_MISPLACED: 400,
    ENCODING_KEY_TWICE: 400,
    ENCODING_MISSING_APPLICATION: 400,
    ENCODING_NO_APPLICATION_LIST: 400,
    ENCODING_NO_FIELD_REFERENCE: 400,
    ENCODING_NO_LIBRARY: 400,
    ENCODING_PROMPT_UNPAIRED: 400,
    ENCODING_SERIAL_FIELD: 400,
    ENCODING_UNKNOWN_KEY: 400,
    ENCODING_UNLISTED_SECTION: 400,
    INI_BAD_KEY: 400,
    INI_BAD_SECTION: 400,
    INI_DUPLICATE_KEY: 400,
    INI_DUPLICATE_SECTION: 400,
    INI_EXPECTED_KEY_VALUE: 400,
    ATR_BAD_PATTERN: 400,
    ATR_BAD_TS: 400,
    ATR_TCK_MISSING: 400,
    ATR_TCK_UNEXPECTED: 400,
    ATR_TOO_LONG: 400,
    ATR_TRAILING_BYTES: 400,
    ATR_TRUNCATED: 400,
    BAD_HEX: 400,
    FIELD_BAD_BASE64: 400,
    FIELD_BAD_HEX: 400,
  },
  EnvelopeErrors: {
    ENVELOPE_ALG_NOT_ALLOWED: 500,
    ENVELOPE_BAD_CLAIMS: 500,
    ENVELOPE_BAD_SIGNATURE: 500,
    ENVELOPE_BAD_TYPE: 500,
    ENVELOPE_BUNDLE_MISMATCH: 500,
    ENVELOPE_EXPIRED: 500,
    ENVELOPE_LITERAL_UNPLACED: 500,
    ENVELOPE_MALFORMED: 500,
    ENVELOPE_NOT_YET_VALID: 500,
    ENVELOPE_PLACEHOLDER_UNKNOWN: 500,
    ENVELOPE_SEQ_NOT_GROWING: 500,
    ENVELOPE_TOO_LARGE: 500,
    ENVELOPE_UNKNOWN_KID: 500,
    ENVELOPE_UNSUPPORTED_VERSION: 500,
    ENVELOPE_WRONG_AUDIENCE: 500,
    ENVELOPE_WRONG_ISSUER: 500,
    KEYSET_INVALID: 500,
    KEYSET_ROLLBACK: 500,
    KEYSET_UNTRUSTED: 500,
    KEYSET_UNREACHABLE: 500,
    KEYSET_UNSUPPORTED_VERSION: 500,
  },
  MessagingErrors: {
    BROKER_UNREACHABLE: 503,
    AGENT_UPGRADE_REQUIRED: 409,
    PLACEHOLDER_COLLISION: 500,
    BROKER_LOGIN_REFUSED: 401,
    ACK_INVALID: 400,
    ACK_UNSUPPORTED_VERSION: 400,
    EXECUTION_ID_MALFORMED: 400,
    PRESENCE_INVALID: 400,
    PRESENCE_UNSUPPORTED_VERSION: 400,
    PROGRESS_INVALID: 400,
    PROGRESS_UNSUPPORTED_VERSION: 400,
  },
  ResultErrors: {
    RESULT_BAD_TYPE: 400,
    RESULT_INVALID: 400,
    RESULT_PARTS_MISMATCH: 400,
    RESULT_SIGNATURE: 400,
    RESULT_TOO_LARGE: 400,
    RESULT_UNSIGNED: 400,
    RESULT_UNSUPPORTED_VERSION: 400,
    RESULT_WRONG_AGENT: 400,
    AGENT_REVOKED: 403,
  },
  ScriptErrors: {
    APDU_BAD_HEADER: 400,
    APDU_BAD_LE: 400,
    APDU_BAD_LENGTH: 400,
    APDU_TOO_LONG: 400,
    APDU_TOO_SHORT: 400,
    RESPONSE_CODES_BAD: 400,
    SCRIPT_APDU_TOO_SHORT: 400,
    SCRIPT_BAD_FIELD: 400,
    SCRIPT_BAD_FORMAT: 400,
    SCRIPT_BAD_HEX: 400,
    SCRIPT_BAD_LE: 400,
    SCRIPT_BAD_SW: 400,
    SCRIPT_COMPILE: 400,
    SCRIPT_CR_ALGORITHM: 400,
    SCRIPT_CR_OUTPUT: 400,
    SCRIPT_CR_PARTS: 400,
    SCRIPT_DYN_HEADER: 400,
    SCRIPT_DYN_PARTS: 400,
    SCRIPT_EMPTY_LITERAL: 400,
    SCRIPT_LC_MISMATCH: 400,
    SCRIPT_PIN_DESCRIPTION: 400,
    SCRIPT_PIN_OUTPUT: 400,
    SCRIPT_PIN_REGEXP: 400,
    SCRIPT_PIN_SYNTAX: 400,
    SCRIPT_PIN_TRANSPORT: 400,
    SCRIPT_TOO_MANY_OUTPUTS: 400,
    SCRIPT_UNKNOWN_LINE: 400,
  },
  StorageErrors: {
    WRITE_CONTENTION: 503,
    AUDIT_CONTENTION: 503,
    STORAGE_UNAVAILABLE: 503,
    AUDIT_TAMPERED: 503,
    AUDIT_REPAIR_INVALID: 400,
  },
  TokenErrors: {
    BATCH_CARD_NOT_FOUND: 500,
    CERTIFICATE_INVALID: 500,
    CMK_LENGTH: 500,
    KEY_EXPONENT_UNSUPPORTED: 500,
    KEY_NOT_FOUND: 500,
    KEY_SIZE_UNSUPPORTED: 500,
    LICENSE_BAD_DATE: 500,
    LICENSE_BAD_LENGTH: 500,
    LICENSE_BAD_RESPONSE: 500,
    LICENSE_BAD_STATUS: 500,
    LICENSE_BAD_TOKEN_INFO: 500,
    LICENSE_GENERATION_FAILED: 500,
    LICENSE_NOT_ACCEPTABLE: 500,
    LICENSE_NO_CREDIT: 500,
    MODULE_LOAD_FAILED: 500,
    MODULE_NOT_MAPPED: 500,
    PIN_INCORRECT: 500,
    PIN_INVALID: 500,
    PIN_LENGTH: 500,
    PIN_LOCKED: 500,
    PKCS11_ERROR: 500,
    SLOT_NOT_FOUND: 500,
    SLOT_UNKNOWN: 500,
    TOKEN_NOT_LOGGED_IN: 500,
    TOKEN_NOT_PRESENT: 500,
  },
  SignInErrors: {
    OIDC_DISCOVERY_FAILED: 500,
    OIDC_STATE_MISMATCH: 500,
    OIDC_AUTHORIZATION_FAILED: 500,
    OIDC_TOKEN_FAILED: 500,
    OIDC_NO_API_TOKEN: 500,
  },
  BatchErrors: {
    BATCH_CSV_INVALID: 400,
    BATCH_REQUEST_INVALID: 400,
    BATCH_REQUEST_UNSUPPORTED_VERSION: 400,
    BATCH_CLOSED: 409,
  },
  ReleaseErrors: {
    SELF_APPROVAL: 403,
    VERSION_STATE: 409,
    RELEASE_STATE: 409,
    RELEASE_NOT_RUNNABLE: 409,
    RELEASE_HALTED: 409,
  },
  JobErrors: {
    JOB_FIELD_MISSING: 400,
    JOB_FIELD_MALFORMED: 400,
    DRY_RUN_UNAVAILABLE: 409,
    DRY_RUN_NOT_RUNNABLE: 500,
  },
};

const DOMAINS = {
  AgentErrors,
  ApiErrors,
  CardErrors,
  CliErrors,
  CryptoErrors,
  EncodingErrors,
  EnvelopeErrors,
  MessagingErrors,
  ResultErrors,
  ScriptErrors,
  StorageErrors,
  TokenErrors,
  SignInErrors,
  BatchErrors,
  ReleaseErrors,
  JobErrors,
};

describe('error codes', () => {
  it('list every code of each domain with the HTTP status the API answers for it', () => {
    const actual = Object.fromEntries(Object.entries(DOMAINS).map(([name, d]) => [name, d.statuses]));
    expect(actual).toEqual(EXPECTED);
  });

  it('offer exactly the codes of their status table, in order, as the domain enum', () => {
    for (const [name, d] of Object.entries(DOMAINS))
      expect([name, d.codes.options]).toEqual([name, Object.keys(EXPECTED[name] ?? {})]);
  });

  it('are each registered once in the catalogue, with their status', () => {
    expect(ERROR_DOMAINS).toHaveLength(Object.keys(DOMAINS).length);
    for (const d of Object.values(DOMAINS)) expect(ERROR_DOMAINS).toContain(d);
    const statuses = Object.values(EXPECTED).flatMap((table) => Object.entries(table));
    expect(new Set(statuses.map(([code]) => code)).size).toBe(statuses.length);
    for (const [code, status] of statuses) {
      expect([
        code,
        errorStatus(code),
        isErrorCode(code),
        CataloguedErrorCode.safeParse(code).success,
      ]).toEqual([code, status, true, true]);
      expect([code, isRetryableError(code)]).toEqual([code, status === 503]);
    }
  });

  it('answer every 503 as retryable and nothing else', () => {
    const retryable = Object.values(EXPECTED)
      .flatMap((table) => Object.entries(table))
      .filter(([code]) => isRetryableError(code))
      .map(([code]) => code);
    expect(retryable).toEqual([
      'KMS_SIGN_FAILED',
      'KMS_ENCRYPT_FAILED',
      'KMS_DECRYPT_FAILED',
      'BROKER_UNREACHABLE',
      'WRITE_CONTENTION',
      'AUDIT_CONTENTION',
      'STORAGE_UNAVAILABLE',
      'AUDIT_TAMPERED',
    ]);
  });
});

describe('a domain of codes', () => {
  it('keeps its status table and accepts only its own codes', () => {
    const table = { FIRST_CODE: 400, SECOND_CODE: 503 } as const;
    const d = domain(table);
    expect(d.statuses).toBe(table);
    expect(d.codes.options).toEqual(['FIRST_CODE', 'SECOND_CODE']);
    expect(d.codes.parse('SECOND_CODE')).toBe('SECOND_CODE');
    expect(d.codes.safeParse('THIRD_CODE').success).toBe(false);
    expect(d.codes.safeParse('first_code').success).toBe(false);
  });
});
