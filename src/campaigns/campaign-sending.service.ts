import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { ResourceNotFoundException, StateConflictException } from '../common/errors/api-error';
import { Page, PageRequest, toPage } from '../common/http/pagination';
import { nowIso } from '../common/ids';
import { Delivery, DeliveryStatus } from '../delivery/delivery';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { CampaignKickData, EMAIL_QUEUE, EmailJob, jobIds } from '../delivery/email-queue';
import { CampaignStatus, CampaignWithStats } from './campaign';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { CampaignService } from './campaign.service';

/**
 * The campaign's sending lifecycle. Every transition is a compare-and-set on the campaign row
 * first; the queue is told afterwards, and the recovery sweep re-tells it if that was lost.
 */
@Injectable()
export class CampaignSendingService {
  constructor(
    @InjectQueue(EMAIL_QUEUE) private readonly queue: Queue,
    private readonly campaigns: CampaignRepository,
    private readonly campaignService: CampaignService,
    private readonly deliveries: DeliveryRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CampaignSendingService.name);
  }

  async send(orgId: string, id: string, sendAt?: string): Promise<CampaignWithStats> {
    const row = await this.row(orgId, id);
    const at = sendAt ? new Date(sendAt) : null;
    const scheduled = at !== null && at.getTime() > Date.now();
    const ok = await this.campaigns.updateIf(orgId, id, ['draft'], {
      status: scheduled ? 'scheduled' : 'sending',
      send_at: scheduled ? at.toISOString() : null,
      started_at: scheduled ? null : nowIso(),
      generation: row.generation + 1,
    });
    if (!ok)
      throw new StateConflictException(`The campaign is ${row.status}; only a draft can be sent`);

    const delay = scheduled ? at.getTime() - Date.now() : 0;
    await this.kick(orgId, id, row.generation + 1, delay);
    if (scheduled) {
      const fields = { event: 'campaign.scheduled', orgId, campaignId: id, sendAt: at };
      this.logger.info(fields, 'campaign scheduled');
    } else {
      this.logger.info({ event: 'campaign.started', orgId, campaignId: id }, 'campaign started');
    }

    return this.campaignService.get(orgId, id);
  }

  /** Stops a scheduled, sending or paused campaign; what has not gone yet is cancelled. */
  async cancel(orgId: string, id: string): Promise<CampaignWithStats> {
    const row = await this.row(orgId, id);
    const from: CampaignStatus[] = ['scheduled', 'sending', 'paused'];
    if (
      !(await this.campaigns.updateIf(orgId, id, from, {
        status: 'cancelled',
        completed_at: nowIso(),
      }))
    ) {
      throw new StateConflictException(`The campaign is ${row.status} and cannot be cancelled`);
    }
    const cancelled = await this.deliveries.cancelPending(id);
    this.logger.info(
      { event: 'campaign.cancelled', orgId, campaignId: id, cancelled },
      'campaign cancelled',
    );

    return this.campaignService.get(orgId, id);
  }

  async resume(orgId: string, id: string): Promise<CampaignWithStats> {
    const row = await this.row(orgId, id);
    const ok = await this.campaigns.updateIf(orgId, id, ['paused'], {
      status: 'sending',
      status_reason: null,
      generation: row.generation + 1,
    });
    if (!ok)
      throw new StateConflictException(`The campaign is ${row.status}; only a paused one resumes`);

    await this.kick(orgId, id, row.generation + 1, 0);
    this.logger.info({ event: 'campaign.resumed', orgId, campaignId: id }, 'campaign resumed');

    return this.campaignService.get(orgId, id);
  }

  /** Sends the failed deliveries again; the campaign is `sending` until they have an outcome. */
  async retryFailed(orgId: string, id: string): Promise<CampaignWithStats & { requeued: number }> {
    const row = await this.row(orgId, id);
    if (row.status !== 'sent' && row.status !== 'sending') {
      throw new StateConflictException(
        `The campaign is ${row.status}; failed deliveries can be retried once it is sending or sent`,
      );
    }
    const requeued = await this.deliveries.requeueFailed(id);
    if (requeued > 0) {
      await this.campaigns.updateIf(orgId, id, ['sent', 'sending'], {
        status: 'sending',
        completed_at: null,
        generation: row.generation + 1,
      });
      await this.kick(orgId, id, row.generation + 1, 0);
    }
    this.logger.info(
      { event: 'campaign.retry_failed', orgId, campaignId: id, requeued },
      'failed deliveries requeued',
    );

    return { ...(await this.campaignService.get(orgId, id)), requeued };
  }

  async deliveriesOf(
    orgId: string,
    id: string,
    page: PageRequest,
    status?: DeliveryStatus,
  ): Promise<Page<Delivery>> {
    await this.row(orgId, id);

    return toPage(await this.deliveries.list(id, page, status), page.limit);
  }

  private async kick(
    orgId: string,
    campaignId: string,
    generation: number,
    delay: number,
  ): Promise<void> {
    const data: CampaignKickData = { orgId, campaignId };
    const jobId = jobIds.kick(campaignId, generation);
    try {
      await this.queue.add(EmailJob.CampaignKick, data, { jobId, delay });
    } catch (error) {
      // The campaign row already says what should happen; the recovery sweep will enqueue it.
      this.logger.error(
        { event: 'queue.error', orgId, campaignId, err: error },
        'could not enqueue',
      );
    }
  }

  private async row(orgId: string, id: string): Promise<CampaignRow> {
    const row = await this.campaigns.findRow(orgId, id);
    if (!row) throw new ResourceNotFoundException('Campaign');

    return row;
  }
}
