import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { AppConfig } from '../config/app-config';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { EMAIL_QUEUE, EmailJob, jobIds } from '../delivery/email-queue';

const MESSAGES_PER_SWEEP = 10_000;

/**
 * The database is the source of truth and Redis may lose its data: at start-up and then
 * periodically, every campaign and message that the database says is in progress is enqueued
 * again. Job ids are deterministic, so work still in the queue is not added twice.
 */
@Injectable()
export class RecoverySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    @InjectQueue(EMAIL_QUEUE) private readonly queue: Queue,
    private readonly campaigns: CampaignRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RecoverySweep.name);
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.recoveryIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const campaigns = await this.enqueueCampaigns();
      const messages = await this.enqueueMessages();
      this.logger.debug({ event: 'recovery.swept', campaigns, messages }, 'recovery sweep');
    } catch (error) {
      this.logger.warn({ event: 'recovery.error', err: error }, 'recovery sweep failed');
    } finally {
      this.running = false;
    }
  }

  private async enqueueCampaigns(): Promise<number> {
    const rows = await this.campaigns.listByStatus(['sending', 'scheduled']);
    for (const row of rows) {
      const delay = row.send_at ? Math.max(0, Date.parse(row.send_at) - Date.now()) : 0;
      const data = { orgId: row.org_id, campaignId: row.id };
      const jobId = jobIds.kick(row.id, row.generation);
      await this.queue.add(EmailJob.CampaignKick, data, {
        jobId,
        delay: row.status === 'scheduled' ? delay : 0,
      });
    }

    return rows.length;
  }

  private async enqueueMessages(): Promise<number> {
    const pending = await this.deliveries.pendingMessages(MESSAGES_PER_SWEEP);
    for (const message of pending) {
      const delay = message.sendAt ? Math.max(0, Date.parse(message.sendAt) - Date.now()) : 0;
      const data = { orgId: message.orgId, messageId: message.id };
      await this.queue.add(EmailJob.MessageSend, data, {
        jobId: jobIds.message(message.id),
        delay,
      });
    }

    return pending.length;
  }
}
