import { EmailProviderError } from './email-provider.error';
import {
  delayFromRetryAfter,
  delayUntilEpochSeconds,
  headerValue,
  longestDelay,
  ResponseHeaders,
} from './retry-delay';

/** The `error` the resend SDK returns (it does not throw): the API's JSON error, or its own. */
export interface ResendErrorShape {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

const RATE_LIMITED = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
]);
const UNAUTHORIZED = new Set(['missing_api_key', 'invalid_api_key', 'restricted_api_key']);
const TRANSIENT = new Set(['internal_server_error', 'concurrent_idempotent_requests']);

/**
 * Classifies a failed Resend call. `statusCode` null means no answer came (connection refused,
 * timeout): the SDK reports those as `application_error` without a status.
 */
export function resendFailure(
  error: ResendErrorShape,
  headers: ResponseHeaders,
  now = Date.now(),
): EmailProviderError {
  const status = typeof error.statusCode === 'number' ? error.statusCode : null;
  const message = `Resend answered ${status ?? 'nothing'}: ${error.name ?? 'error'}: ${error.message ?? ''}`;
  const kind = kindOf(status, error.name ?? '');
  if (kind !== 'rate_limited') return new EmailProviderError(kind, message.trim(), status);

  // ratelimit-reset counts seconds from now; retry-after is seconds or a date.
  const retryAfterMs = longestDelay(
    delayFromRetryAfter(headerValue(headers, 'retry-after'), now),
    delayUntilEpochSeconds(headerValue(headers, 'ratelimit-reset'), now),
  );

  return new EmailProviderError(kind, message.trim(), status, retryAfterMs);
}

function kindOf(status: number | null, name: string): EmailProviderError['kind'] {
  if (status === null) return 'transient';
  if (status === 429 || RATE_LIMITED.has(name)) return 'rate_limited';
  if (status === 401 || status === 403 || UNAUTHORIZED.has(name)) return 'unauthorized';
  if (status >= 500 || status === 408 || TRANSIENT.has(name)) return 'transient';

  return 'permanent';
}
