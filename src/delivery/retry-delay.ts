export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay up to base * 2^(attempt-1), capped.
 * Jitter spreads the retries of many batches that failed together.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));

  return Math.max(policy.baseMs / 2, Math.round(ceiling * random()));
}
