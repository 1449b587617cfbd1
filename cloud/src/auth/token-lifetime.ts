import { CardfleetError } from '@cardfleet/shared';
import type { JWTPayload } from 'jose';

/**
 * API bearer tokens live at most 12 hours (docs/security.md, "A network attacker"): a
 * token without `exp`, or one whose lifetime (`exp - iat`, or `exp - now` when there is
 * no `iat`) exceeds the maximum, is refused, so a leaked token cannot stay useful for
 * long whatever the IdP was configured to issue. A minute of clock skew is allowed.
 */
export const MAX_TOKEN_SECONDS = 12 * 3600;
const SKEW_SECONDS = 60;

export function checkTokenLifetime(payload: JWTPayload, nowSeconds: number): void {
  if (typeof payload.exp !== 'number')
    throw new CardfleetError('TOKEN_LIFETIME', 'the bearer token has no expiry (exp)');
  const from = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
  if (payload.exp - from > MAX_TOKEN_SECONDS + SKEW_SECONDS)
    throw new CardfleetError(
      'TOKEN_LIFETIME',
      `the bearer token lives longer than ${MAX_TOKEN_SECONDS / 3600} hours`,
    );
}
