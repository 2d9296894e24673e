/**
 * - transient: worth retrying with backoff (5xx, timeouts, connection errors).
 * - rate_limited: retry after `retryAfterMs` without counting an attempt; pause the queue.
 * - unauthorized: the provider refuses the credentials (401/403); pause, do not fail recipients.
 * - permanent: the request itself is wrong (400/413 not tied to single recipients); do not retry.
 */
export type EmailFailureKind = 'transient' | 'rate_limited' | 'unauthorized' | 'permanent';

export class EmailProviderError extends Error {
  constructor(
    readonly kind: EmailFailureKind,
    message: string,
    readonly statusCode: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'EmailProviderError';
  }
}
