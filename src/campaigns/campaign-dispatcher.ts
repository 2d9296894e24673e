import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Insertable } from 'kysely';
import { PinoLogger } from 'nestjs-pino';
import { CacheInvalidator } from '../cache/cache-invalidator';
import { AppConfig } from '../config/app-config';
import { CampaignRepository, CampaignRow } from './campaign.repository';
import { newId, nowIso } from '../common/ids';
import { AudienceMember, ContactRepository } from '../contacts/contact.repository';
import { DeliveryTable } from '../database/schema';
import { EmailProvider } from '../email/email-provider';
import { BatchComposer, PreparedContent } from '../delivery/batch-composer';
import { SendDecision, BatchSender } from '../delivery/batch-sender';
import { PendingRecipient } from '../delivery/delivery';
import { DeliveryRepository } from '../delivery/delivery.repository';
import {
  CampaignBatchData,
  CampaignKickData,
  EMAIL_QUEUE,
  EmailJob,
  jobIds,
} from '../delivery/email-queue';

const PREPARED_CACHE_MAX = 100;

/** Runs a campaign's jobs: snapshotting its audience into deliveries, then sending batches. */
@Injectable()
export class CampaignDispatcher {
  private readonly prepared = new Map<string, PreparedContent>();

  constructor(
    @InjectQueue(EMAIL_QUEUE) private readonly queue: Queue,
    private readonly campaigns: CampaignRepository,
    private readonly contacts: ContactRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly composer: BatchComposer,
    private readonly sender: BatchSender,
    private readonly provider: EmailProvider,
    private readonly config: AppConfig,
    private readonly cache: CacheInvalidator,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CampaignDispatcher.name);
  }

  /**
   * Starts a scheduled campaign when its time comes, records any audience not yet recorded
   * (resuming where an interrupted run stopped), then enqueues every batch still pending.
   */
  async kick({ orgId, campaignId }: CampaignKickData): Promise<void> {
    const started = await this.campaigns.updateIf(orgId, campaignId, ['scheduled'], {
      status: 'sending',
      started_at: nowIso(),
    });
    const campaign = await this.campaigns.findRow(orgId, campaignId);
    if (!campaign || campaign.status !== 'sending') return;
    if (started) {
      this.logger.info({ event: 'campaign.started', orgId, campaignId }, 'campaign started');
      await this.cache.invalidate(orgId, ['campaigns']);
    }

    if (!campaign.fanout_completed_at) await this.snapshotAudience(campaign);
    await this.enqueuePendingBatches(campaign);
    await this.completeIfDone(campaign);
  }

  async sendBatch({ orgId, campaignId, batchNo }: CampaignBatchData): Promise<SendDecision> {
    const campaign = await this.campaigns.findRow(orgId, campaignId);
    if (!campaign || campaign.status !== 'sending') return { next: 'done' };

    const claim = await this.deliveries.claim({ campaignId, batchNo }, this.config.deliveryLeaseMs);
    try {
      const recipients = await this.skipUnsendable(claim.recipients);
      if (recipients.length === 0) {
        // Another job holds these rows (a duplicate after a queue loss): look again later.
        if (claim.heldUntil)
          return { next: 'retry', delayMs: Math.max(1000, claim.heldUntil - Date.now()) };

        return this.completeIfDone(campaign);
      }

      const batch = this.composer.compose(
        this.preparedFor(campaign),
        {
          batchId: jobIds.batch(campaignId, campaign.generation, batchNo),
          orgId,
          campaignId,
          from: { email: campaign.from_email, name: campaign.from_name },
          replyTo: campaign.reply_to,
        },
        recipients,
      );
      const attempt = Math.max(...recipients.map((r) => r.attempts)) + 1;
      const decision = await this.sender.send(batch, attempt);
      if (decision.next === 'pause') await this.pause(campaign, decision.reason);
      if (decision.next === 'done') await this.completeIfDone(campaign);

      return decision;
    } finally {
      await this.deliveries.release({ campaignId, batchNo }, claim.token);
    }
  }

  private async skipUnsendable(recipients: PendingRecipient[]): Promise<PendingRecipient[]> {
    for (const r of recipients.filter((r) => r.skipReason)) {
      await this.deliveries.markFinal([r.deliveryId], 'skipped', r.skipReason!, null, false);
    }

    return recipients.filter((r) => !r.skipReason);
  }

  private async snapshotAudience(campaign: CampaignRow): Promise<void> {
    const tags = campaign.audience_tags ? (JSON.parse(campaign.audience_tags) as string[]) : null;
    const size = this.provider.maxBatchSize;
    const last = await this.deliveries.lastSnapshotted(campaign.id);
    let afterId = last?.contactId ?? null;
    let batchNo = last?.batchNo ?? -1;

    for (;;) {
      const members = await this.contacts.audiencePage(campaign.org_id, tags, afterId, size);
      if (members.length === 0) break;
      batchNo += 1;
      await this.deliveries.insertMany(members.map((m) => deliveryRow(campaign, m, batchNo)));
      await this.enqueueBatch(campaign, batchNo);
      afterId = members[members.length - 1].id;
      if (await this.wasCancelled(campaign)) return;
    }
    await this.campaigns.updateIf(campaign.org_id, campaign.id, ['sending', 'paused'], {
      fanout_completed_at: nowIso(),
    });
  }

  /** A cancel during the snapshot: what was recorded after it is cancelled too. */
  private async wasCancelled(campaign: CampaignRow): Promise<boolean> {
    const fresh = await this.campaigns.findRow(campaign.org_id, campaign.id);
    if (fresh?.status !== 'cancelled') return false;

    await this.deliveries.cancelPending(campaign.id);

    return true;
  }

  private async enqueuePendingBatches(campaign: CampaignRow): Promise<void> {
    for (const batchNo of await this.deliveries.pendingBatches(campaign.id)) {
      await this.enqueueBatch(campaign, batchNo);
    }
  }

  private async enqueueBatch(campaign: CampaignRow, batchNo: number): Promise<void> {
    const data: CampaignBatchData = { orgId: campaign.org_id, campaignId: campaign.id, batchNo };
    const jobId = jobIds.batch(campaign.id, campaign.generation, batchNo);
    await this.queue.add(EmailJob.CampaignBatch, data, { jobId });
  }

  private async completeIfDone(campaign: CampaignRow): Promise<SendDecision> {
    const fresh = await this.campaigns.findRow(campaign.org_id, campaign.id);
    if (!fresh?.fanout_completed_at || (await this.deliveries.hasPending(campaign.id))) {
      return { next: 'done' };
    }
    const completed = await this.campaigns.updateIf(campaign.org_id, campaign.id, ['sending'], {
      status: 'sent',
      completed_at: nowIso(),
    });
    if (completed) {
      await this.cache.invalidate(campaign.org_id, ['campaigns']);
      const stats = await this.campaigns.stats(campaign.id);
      this.logger.info(
        { event: 'campaign.completed', orgId: campaign.org_id, campaignId: campaign.id, ...stats },
        'campaign completed',
      );
    }

    return { next: 'done' };
  }

  private async pause(campaign: CampaignRow, reason: string): Promise<void> {
    await this.campaigns.updateIf(campaign.org_id, campaign.id, ['sending'], {
      status: 'paused',
      status_reason: reason,
    });
    await this.cache.invalidate(campaign.org_id, ['campaigns']);
    this.logger.warn(
      { event: 'campaign.paused', orgId: campaign.org_id, campaignId: campaign.id, reason },
      'campaign paused',
    );
  }

  /** Content cannot change once sending starts, so a campaign is parsed once per process. */
  private preparedFor(campaign: CampaignRow): PreparedContent {
    const key = `${campaign.id}:${campaign.generation}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      if (this.prepared.size >= PREPARED_CACHE_MAX) this.prepared.clear();
      prepared = this.composer.prepare(campaign);
      this.prepared.set(key, prepared);
    }

    return prepared;
  }
}

function deliveryRow(
  campaign: CampaignRow,
  member: AudienceMember,
  batchNo: number,
): Insertable<DeliveryTable> {
  const now = nowIso();
  const skip = member.unsubscribed_at ? 'unsubscribed' : member.suppressed_at ? 'suppressed' : null;

  return {
    id: newId(),
    org_id: campaign.org_id,
    campaign_id: campaign.id,
    message_id: null,
    contact_id: member.id,
    email: member.email,
    batch_no: batchNo,
    status: skip ? 'skipped' : 'pending',
    last_error: skip,
    provider: null,
    provider_message_id: null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
}
