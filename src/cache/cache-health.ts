import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/** After a failure, the store is left alone this long; the next request then probes it. */
export const RETRY_AFTER_MS = 1_000;

/** `cache.error` is logged at most once per this interval, with a count of what was held back. */
export const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Tracks whether the shared store answers. A failure opens a short window in which requests
 * skip the store entirely, so an outage costs each request nothing and the log one line.
 */
@Injectable()
export class CacheHealth {
  private retryAt = 0;
  private failing = false;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(CacheHealth.name);
  }

  get available(): boolean {
    return Date.now() >= this.retryAt;
  }

  failed(operation: string, err: unknown): void {
    const now = Date.now();
    this.retryAt = now + RETRY_AFTER_MS;
    this.failing = true;
    if (now - this.lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      this.held++;

      return;
    }

    const reason = err instanceof Error ? err.message : String(err);
    this.logger.warn(
      { event: 'cache.error', operation, reason, heldBack: this.held, retryInMs: RETRY_AFTER_MS },
      'cache store failed; serving from handlers',
    );
    this.lastLoggedAt = now;
    this.held = 0;
  }

  succeeded(): void {
    if (!this.failing) return;

    this.failing = false;
    this.logger.info(
      { event: 'cache.recovered', heldBack: this.held },
      'cache store answers again',
    );
    this.held = 0;
  }
}
