import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { SendDecision } from '../delivery/batch-sender';
import { CampaignDispatcher } from '../campaigns/campaign-dispatcher';
import {
  CampaignBatchData,
  CampaignKickData,
  EMAIL_QUEUE,
  EmailJob,
  MessageSendData,
} from '../delivery/email-queue';
import { MessageDispatcher } from '../messages/message-dispatcher';

/**
 * The worker side of the email queue, started once the application is up; its concurrency comes
 * from the configuration. On shutdown Nest closes the worker, which lets the batches in flight finish first.
 */
// BullMQ obeys a manual rate limit (a 429) only in a worker with a limiter; this one never bites.
@Processor(EMAIL_QUEUE, { autorun: false, limiter: { max: 1_000_000, duration: 1_000 } })
export class EmailProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly campaigns: CampaignDispatcher,
    private readonly messages: MessageDispatcher,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    super();
    this.logger.setContext(EmailProcessor.name);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.workerConcurrency;
    void this.worker.run();
    this.logger.info(
      { event: 'worker.started', queue: EMAIL_QUEUE, concurrency: this.config.workerConcurrency },
      'worker started',
    );
  }

  async process(job: Job, token?: string): Promise<void> {
    switch (job.name) {
      case EmailJob.CampaignKick:
        return this.campaigns.kick(job.data as CampaignKickData);
      case EmailJob.CampaignBatch:
        return this.apply(
          await this.campaigns.sendBatch(job.data as CampaignBatchData),
          job,
          token,
        );
      case EmailJob.MessageSend:
        return this.apply(await this.messages.send(job.data as MessageSendData), job, token);
      default:
        this.logger.error({ event: 'job.unknown', name: job.name, jobId: job.id }, 'unknown job');
    }
  }

  /** Without a listener, a worker error (Redis gone, a job's key lost) would end the process. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.error({ event: 'queue.error', err: error }, 'queue worker error');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    const fields = {
      event: 'job.failed',
      name: job?.name,
      jobId: job?.id,
      attempts: job?.attemptsMade,
    };
    this.logger.error({ ...fields, err: error }, 'job failed');
  }

  /** Turns a send decision into what BullMQ should do with the job. */
  private async apply(decision: SendDecision, job: Job, token?: string): Promise<void> {
    if (decision.next === 'retry') {
      await job.moveToDelayed(Date.now() + decision.delayMs, token);
      throw new DelayedError();
    }
    if (decision.next === 'rate_limited') {
      // Pauses the whole queue, for every worker, and puts the job back without using an attempt.
      await this.worker.rateLimit(decision.delayMs);
      throw Worker.RateLimitError();
    }
  }
}
