import { z } from 'zod';

/**
 * Every error code cardfleet throws, per domain, each with the HTTP status the cloud API
 * answers when it reaches a client (cloud/src/http/api-error.ts; docs/cloud.md):
 *  - 4xx: the request itself is at fault; body with code, message and details;
 *  - 503: a dependency failed or an optimistic write kept losing: nothing is wrong with
 *    the request, try again (answered with Retry-After);
 *  - 500: internal — never the client's doing; it sees only INTERNAL, the cause is logged.
 * Codes only the agent, its console or the CLIs raise are 500 here: reaching the API
 * would be a bug. Codes stay stable: tests, API bodies and result records key on them.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 500 | 503;

export function domain<const T extends Record<string, ErrorStatus>>(statuses: T) {
  const codes = Object.keys(statuses) as [keyof T & string, ...(keyof T & string)[]];
  return { codes: z.enum(codes), statuses };
}

/** The API's own answers. */
export const ApiErrors = domain({
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** A signed operator token without an office: operators act for one office only. */
  OFFICE_REQUIRED: 403,
  /** An IdP token whose claims map to two different roles: no order of groups decides (docs/console-sign-in.md). */
  ROLE_AMBIGUOUS: 403,
  /** Enrolment with an unknown, used or expired code, or for an unknown agent: one answer for all. */
  ENROLMENT_REFUSED: 401,
  /** A bearer token without exp, or living longer than the API takes (12 h). */
  TOKEN_LIFETIME: 401,
  NOT_FOUND: 404,
  /** A genuine client conflict: the resource is not in a state that allows the request. */
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_INVALID: 400,
  INTERNAL: 500,
});

/** The table: optimistic single-item writes that lost every retry (docs/cloud.md, Audit). */
export const StorageErrors = domain({
  WRITE_CONTENTION: 503,
  AUDIT_CONTENTION: 503,
  /** The table itself failed (throttled, unreachable): for the storage adapter to raise. */
  STORAGE_UNAVAILABLE: 503,
  /**
   * The audit log found entries or checkpoints it did not write (docs/security.md, "Someone
   * with write access to the table"): writes that need the damaged range wait for the
   * repair procedure (docs/cloud.md, "Auditor").
   */
  AUDIT_TAMPERED: 503,
  /** An audit repair that names no damaged range, or a range that is not one. */
  AUDIT_REPAIR_INVALID: 400,
});

/** The cloud's keys: KMS in AWS, a local master key otherwise. */
export const CryptoErrors = domain({
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
});

/** Bundles and encoding files a person pushes (docs/encoding-format.md). */
export const EncodingErrors = domain({
  BUNDLE_BAD_ZIP: 400,
  BUNDLE_DUPLICATE_FILE: 400,
  BUNDLE_EXTRA_FILE: 400,
  BUNDLE_MISSING_SCRIPT: 400,
  BUNDLE_NOT_FOUND: 400,
  BUNDLE_NOT_UTF8: 400,
  BUNDLE_NO_ENCODING: 400,
  BUNDLE_SEVERAL_ENCODINGS: 400,
  BUNDLE_TOO_LARGE: 413,
  /** The last entry of a capped problem list: how many more there were. */
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
});

/** APDU scripts and the APDUs they compile to (ISO 7816-4; docs/encoding-format.md). */
export const ScriptErrors = domain({
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
});

/** Signed job envelopes, cancel messages and key sets as the agent checks them (docs/security.md). */
export const EnvelopeErrors = domain({
  ENVELOPE_ALG_NOT_ALLOWED: 500,
  ENVELOPE_BAD_CLAIMS: 500,
  ENVELOPE_BAD_SIGNATURE: 500,
  ENVELOPE_BAD_TYPE: 500,
  /** The bundle, its sealed literals restored, is not the one the job's encoding version recorded. */
  ENVELOPE_BUNDLE_MISMATCH: 500,
  ENVELOPE_EXPIRED: 500,
  /** A sealed literal that is not a placeholder of the envelope or not in its bundle exactly once. */
  ENVELOPE_LITERAL_UNPLACED: 500,
  ENVELOPE_MALFORMED: 500,
  ENVELOPE_NOT_YET_VALID: 500,
  /** A placeholder of the envelope in its bundle that no sealed literal resolves. */
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
});

/** Results an agent reports (docs/cloud.md, Results). */
export const ResultErrors = domain({
  RESULT_BAD_TYPE: 400,
  RESULT_INVALID: 400,
  RESULT_PARTS_MISMATCH: 400,
  RESULT_SIGNATURE: 400,
  RESULT_TOO_LARGE: 400,
  RESULT_UNSIGNED: 400,
  RESULT_UNSUPPORTED_VERSION: 400,
  RESULT_WRONG_AGENT: 400,
  /** A revoked agent's results and progress; its open jobs' end reason (docs/security.md, "Revocation"). */
  AGENT_REVOKED: 403,
});

/** Messaging: the broker the cloud publishes to (docs/messaging.md). */
export const MessagingErrors = domain({
  BROKER_UNREACHABLE: 503,
  /** Literal secrets for an agent too old to take them sealed: the job waits QUEUED (docs/messaging.md). */
  AGENT_UPGRADE_REQUIRED: 409,
  /** No placeholder nonce free of the bundle's text was drawn (docs/messaging.md, "Sealed literals"). */
  PLACEHOLDER_COLLISION: 500,
  /** A broker login token (shared/src/broker/broker-login.ts) that is malformed, forged, expired or someone else's. */
  BROKER_LOGIN_REFUSED: 401,
  /** Messages agents send besides results (docs/messaging.md): malformed or of a newer wire version. */
  ACK_INVALID: 400,
  ACK_UNSUPPORTED_VERSION: 400,
  EXECUTION_ID_MALFORMED: 400,
  PRESENCE_INVALID: 400,
  PRESENCE_UNSUPPORTED_VERSION: 400,
  PROGRESS_INVALID: 400,
  PROGRESS_UNSUPPORTED_VERSION: 400,
});

/** Readers and cards over PC/SC (pcsclite.h SCARD_E_/SCARD_W_ values; docs/edge-agent.md). */
export const CardErrors = domain({
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
});

/** PKCS#11 tokens and the license application (PKCS#11 v2.40 CKR_* names). */
export const TokenErrors = domain({
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
});

/** The agent: enrolment, its operator console and PIN entry (docs/edge-agent.md). */
export const AgentErrors = domain({
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
  /** A stored PIN rule RE2 cannot compile (validation refuses them at upload). */
  PIN_RULE_UNSUPPORTED: 500,
  PIN_TIMEOUT: 500,
});

/** The command-line tools (cardfleet, cardfleet-agent). */
export const CliErrors = domain({
  API_UNREACHABLE: 500,
  CLI_USAGE: 500,
  FIELDS_BAD_JSON: 500,
  FILE_UNREADABLE: 500,
  WAIT_TIMEOUT: 500,
});
