import { Injectable } from '@nestjs/common';
import { BatchComposer } from '../delivery/batch-composer';
import { BatchSender, SendDecision } from '../delivery/batch-sender';
import { AppConfig } from '../config/app-config';
import { Claim } from '../delivery/delivery';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { jobIds, MessageSendData } from '../delivery/email-queue';
import { MessageRepository, MessageRow } from './message.repository';

/** Runs a one-off message's job through the same composer, provider and retries as campaigns. */
@Injectable()
export class MessageDispatcher {
  constructor(
    private readonly messages: MessageRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly composer: BatchComposer,
    private readonly sender: BatchSender,
    private readonly config: AppConfig,
  ) {}

  async send({ orgId, messageId }: MessageSendData): Promise<SendDecision> {
    const message = await this.messages.findRow(orgId, messageId);
    if (!message) return { next: 'done' };
    const claim = await this.deliveries.claim({ messageId }, this.config.deliveryLeaseMs);
    try {
      return await this.sendClaimed(message, claim);
    } finally {
      await this.deliveries.release({ messageId }, claim.token);
    }
  }

  private async sendClaimed(message: MessageRow, claim: Claim): Promise<SendDecision> {
    const [recipient] = claim.recipients;
    if (!recipient) {
      if (claim.heldUntil)
        return { next: 'retry', delayMs: Math.max(1000, claim.heldUntil - Date.now()) };

      return { next: 'done' };
    }
    if (recipient.skipReason) {
      await this.deliveries.markFinal(
        [recipient.deliveryId],
        'skipped',
        recipient.skipReason,
        null,
        false,
      );

      return { next: 'done' };
    }

    const batch = this.composer.compose(
      this.composer.prepare(message),
      {
        batchId: jobIds.message(message.id),
        orgId: message.org_id,
        campaignId: null,
        from: { email: message.from_email, name: message.from_name },
        replyTo: message.reply_to,
      },
      [recipient],
    );
    if (message.to_name) batch.messages[0].to.name = message.to_name;

    return this.sender.send(batch, recipient.attempts + 1);
  }
}
