import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { BatchOutcome, EmailBatch } from '../email/email-batch';
import { EmailProvider } from '../email/email-provider';
import { EmailProviderError } from '../email/email-provider.error';
import { DeliveryRepository } from './delivery.repository';
import { retryDelayMs } from './retry-delay';

/** What the job running a batch does next. */
export type SendDecision =
  | { next: 'done' }
  | { next: 'retry'; delayMs: number }
  | { next: 'rate_limited'; delayMs: number }
  | { next: 'pause'; reason: string };

/**
 * Sends one batch through the provider and records every outcome in the database before the
 * job completes. Attempts are counted on the delivery rows, so they survive a lost queue.
 */
@Injectable()
export class BatchSender {
  constructor(
    private readonly provider: EmailProvider,
    private readonly deliveries: DeliveryRepository,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BatchSender.name);
  }

  /** `attempt` is the attempt this send is: one more than the deliveries' recorded attempts. */
  async send(batch: EmailBatch, attempt: number): Promise<SendDecision> {
    const fields = this.fields(batch, attempt);
    try {
      const outcome = await this.provider.send(batch);
      await this.record(outcome, fields);

      return { next: 'done' };
    } catch (error) {
      if (!(error instanceof EmailProviderError)) throw error;

      // A batch sent as several requests may have partly gone out before the failure.
      await this.record(error.settled, fields);
      const settled = new Set(
        [...error.settled.sent, ...error.settled.rejected].map((m) => m.deliveryId),
      );
      const unsettled = batch.messages.map((m) => m.deliveryId).filter((id) => !settled.has(id));

      return this.onFailure(unsettled, batch, attempt, error, fields);
    }
  }

  private async record(outcome: BatchOutcome, fields: Record<string, unknown>): Promise<void> {
    await this.deliveries.markSent(outcome.sent, this.provider.name);
    for (const { deliveryId, reason } of outcome.rejected) {
      await this.deliveries.markFinal([deliveryId], 'failed', reason, this.provider.name, true);
    }
    if (outcome.sent.length > 0) {
      this.logger.info(
        { event: 'email.sent', ...fields, sent: outcome.sent.length },
        'emails sent',
      );
    }
    if (outcome.rejected.length > 0) {
      const reason = 'rejected by provider';
      this.logger.warn(
        { event: 'email.failed', ...fields, failed: outcome.rejected.length, reason },
        'provider rejected recipients',
      );
    }
  }

  private async onFailure(
    ids: string[],
    batch: EmailBatch,
    attempt: number,
    error: EmailProviderError,
    fields: Record<string, unknown>,
  ): Promise<SendDecision> {
    const failure = { ...fields, statusCode: error.statusCode, kind: error.kind };

    if (error.kind === 'rate_limited') {
      const delayMs = error.retryAfterMs ?? this.config.emailRetryBaseMs;
      this.logger.warn(
        { event: 'email.retry', ...failure, delayMs },
        'provider rate limit, pausing queue',
      );

      return { next: 'rate_limited', delayMs };
    }
    if (error.kind === 'unauthorized' && batch.campaignId) {
      this.logger.error({ event: 'email.failed', ...failure }, 'provider refused credentials');

      return { next: 'pause', reason: `provider refused credentials: ${error.message}` };
    }
    if (error.kind === 'permanent' || attempt >= this.config.emailMaxAttempts) {
      await this.deliveries.markFinal(ids, 'failed', error.message, this.provider.name, true);
      this.logger.error(
        { event: 'email.failed', ...failure, error: error.message },
        'email batch failed',
      );

      return { next: 'done' };
    }

    await this.deliveries.recordAttempt(ids, error.message);
    const delayMs = retryDelayMs(attempt, {
      baseMs: this.config.emailRetryBaseMs,
      maxMs: this.config.emailRetryMaxMs,
    });
    this.logger.warn(
      { event: 'email.retry', ...failure, delayMs, error: error.message },
      'email batch retry',
    );

    return { next: 'retry', delayMs };
  }

  private fields(batch: EmailBatch, attempt: number): Record<string, unknown> {
    return {
      orgId: batch.orgId,
      campaignId: batch.campaignId,
      batchId: batch.batchId,
      provider: this.provider.name,
      batchSize: batch.messages.length,
      attempt,
    };
  }
}
