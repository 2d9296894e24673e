import { BatchOutcome } from './email-batch';

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
    /**
     * Messages that already have an outcome when the failure struck (a batch sent as several
     * requests can fail half way): record these and retry only the others.
     */
    readonly settled: BatchOutcome = { sent: [], rejected: [] },
  ) {
    super(message);
    this.name = 'EmailProviderError';
  }

  /** The same failure, carrying what had been settled before it. */
  withSettled(settled: BatchOutcome): EmailProviderError {
    return new EmailProviderError(
      this.kind,
      this.message,
      this.statusCode,
      this.retryAfterMs,
      settled,
    );
  }
}

const SEVERITY: Record<EmailFailureKind, number> = {
  transient: 0,
  permanent: 1,
  rate_limited: 2,
  unauthorized: 3,
};

/** Of failures met together, the one that should decide what happens next. */
export function gravest(failures: EmailProviderError[]): EmailProviderError {
  return failures.reduce((worst, next) =>
    SEVERITY[next.kind] > SEVERITY[worst.kind] ||
    (next.kind === worst.kind && (next.retryAfterMs ?? 0) > (worst.retryAfterMs ?? 0))
      ? next
      : worst,
  );
}
