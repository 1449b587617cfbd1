import { z } from 'zod';
import { BatchErrors } from './batch-error-codes';
import {
  AgentErrors,
  ApiErrors,
  CardErrors,
  CliErrors,
  CryptoErrors,
  EncodingErrors,
  EnvelopeErrors,
  type ErrorStatus,
  MessagingErrors,
  ResultErrors,
  ScriptErrors,
  StorageErrors,
  TokenErrors,
} from './error-codes';
import { JobErrors } from './job-error-codes';
import { ReleaseErrors } from './release-error-codes';
import { SignInErrors } from './sign-in-error-codes';

/** Every domain of error-codes.ts, each code listed once. */
export const ERROR_DOMAINS = [
  ApiErrors,
  StorageErrors,
  CryptoErrors,
  EncodingErrors,
  ScriptErrors,
  EnvelopeErrors,
  ResultErrors,
  MessagingErrors,
  CardErrors,
  TokenErrors,
  AgentErrors,
  CliErrors,
  SignInErrors,
  BatchErrors,
  ReleaseErrors,
  JobErrors,
] as const;

/** Every code listed in error-codes.ts. */
export const CataloguedErrorCode = z.union(ERROR_DOMAINS.map((d) => d.codes));
export type CataloguedErrorCode = z.infer<(typeof ERROR_DOMAINS)[number]['codes']>;

/**
 * A PKCS#11 return value with no friendlier code keeps its CKR_* name (PKCS#11 v2.40,
 * section 11.1): the set is the token's, not ours.
 */
export type Pkcs11ReturnCode = `CKR_${string}`;
/** An HTTP error answer without a cardfleet code (the CLI reports the status instead). */
export type HttpStatusCode = `HTTP_${number}`;

/** What `CardfleetError` accepts: an uncatalogued literal does not compile. */
export type ErrorCode = CataloguedErrorCode | Pkcs11ReturnCode | HttpStatusCode;

const STATUS_BY_CODE: ReadonlyMap<string, ErrorStatus> = new Map(
  ERROR_DOMAINS.flatMap((d) => Object.entries(d.statuses) as [string, ErrorStatus][]),
);

export function isErrorCode(code: string): code is ErrorCode {
  return STATUS_BY_CODE.has(code) || /^CKR_[A-Z0-9_]+$/.test(code) || /^HTTP_\d+$/.test(code);
}

/**
 * The HTTP status the cloud API answers for a code; 500 for a code the catalogue does not
 * list (a CKR_* name, a relayed HTTP_ status, or one smuggled past the type).
 */
export function errorStatus(code: string): ErrorStatus {
  return STATUS_BY_CODE.get(code) ?? 500;
}

/** 503 codes: a dependency or a contended write failed; the same request may succeed later. */
export function isRetryableError(code: string): boolean {
  return errorStatus(code) === 503;
}

/** A code relayed from another cardfleet process (an API or console answer), or `fallback`. */
export function relayedErrorCode(code: string | undefined, fallback: ErrorCode): ErrorCode {
  return code !== undefined && isErrorCode(code) ? code : fallback;
}
