import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import {
  InvalidInputException,
  ResourceNotFoundException,
  StateConflictException,
} from '../common/errors/api-error';
import { newId, nowIso } from '../common/ids';
import { ContactService } from '../contacts/contact.service';
import { ContactRepository } from '../contacts/contact.repository';
import { isUniqueViolation } from '../database/errors';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { EMAIL_QUEUE, EmailJob, jobIds, MessageSendData } from '../delivery/email-queue';
import { TemplateRenderer } from '../templates/template-renderer';
import { CreateMessageDto } from './dto/create-message.dto';
import { Message } from './message';
import { MessageRepository, MessageRow } from './message.repository';

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

@Injectable()
export class MessageService {
  constructor(
    @InjectQueue(EMAIL_QUEUE) private readonly queue: Queue,
    private readonly messages: MessageRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly contacts: ContactService,
    private readonly contactRows: ContactRepository,
    private readonly templates: TemplateRenderer,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MessageService.name);
  }

  /**
   * Accepts a message for sending. With an idempotency key, a repeat of the same request within
   * 24 hours returns the first message and sends nothing; a different request with it is a 409.
   */
  async create(orgId: string, dto: CreateMessageDto, idempotencyKey?: string): Promise<Message> {
    this.check(dto);
    const requestHash = hashRequest(dto);
    if (idempotencyKey) {
      const replay = await this.replay(orgId, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const id = newId();
    const recipient = await this.recipient(orgId, dto);
    const now = nowIso();
    const sendAt =
      dto.sendAt && new Date(dto.sendAt).getTime() > Date.now() ? new Date(dto.sendAt) : null;
    const inserted = this.messages.insert(
      {
        id,
        org_id: orgId,
        idempotency_key: idempotencyKey ?? null,
        request_hash: requestHash,
        contact_id: recipient.contactId,
        to_email: recipient.email,
        to_name: recipient.name,
        from_email: dto.from.email,
        from_name: dto.from.name ?? null,
        reply_to: dto.replyTo ?? null,
        subject: dto.subject,
        html: dto.html,
        text: dto.text ?? null,
        send_at: sendAt?.toISOString() ?? null,
        created_at: now,
      },
      {
        id: newId(),
        org_id: orgId,
        campaign_id: null,
        message_id: id,
        contact_id: recipient.contactId,
        email: recipient.email,
        batch_no: 0,
        status: 'pending',
        created_at: now,
        updated_at: now,
      },
    );
    try {
      await inserted;
    } catch (error) {
      // Two requests raced with one key: the loser answers with the winner's message.
      const winner =
        idempotencyKey && isUniqueViolation(error)
          ? await this.replay(orgId, idempotencyKey, requestHash)
          : null;
      if (!winner) throw error;

      return winner;
    }
    await this.enqueue(orgId, id, sendAt);
    this.logger.info({ event: 'message.accepted', orgId, messageId: id }, 'message accepted');

    return this.get(orgId, id);
  }

  async get(orgId: string, id: string): Promise<Message> {
    const row = await this.messages.findRow(orgId, id);
    if (!row) throw new ResourceNotFoundException('Message');

    return this.view(row);
  }

  private async replay(orgId: string, key: string, requestHash: string): Promise<Message | null> {
    const earlier = await this.messages.findByIdempotencyKey(orgId, key);
    if (!earlier) return null;
    if (Date.now() - Date.parse(earlier.created_at) > IDEMPOTENCY_WINDOW_MS) {
      await this.messages.releaseIdempotencyKey(earlier.id);

      return null;
    }
    if (earlier.request_hash !== requestHash) {
      throw new StateConflictException('This Idempotency-Key was used with a different request');
    }

    return this.view(earlier);
  }

  private async recipient(orgId: string, dto: CreateMessageDto) {
    if (dto.contactId) {
      const contact = await this.contacts.get(orgId, dto.contactId);
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || null;

      return { contactId: contact.id, email: contact.email, name };
    }
    const email = dto.to!.email;

    // An address that is a contact is checked for unsubscribes at send time like any contact.
    return {
      contactId: await this.contactRows.findIdByEmail(orgId, email),
      email,
      name: dto.to!.name ?? null,
    };
  }

  private async enqueue(orgId: string, messageId: string, sendAt: Date | null): Promise<void> {
    const data: MessageSendData = { orgId, messageId };
    const delay = sendAt ? sendAt.getTime() - Date.now() : 0;
    try {
      await this.queue.add(EmailJob.MessageSend, data, { jobId: jobIds.message(messageId), delay });
    } catch (error) {
      // The pending delivery row is the record; the recovery sweep enqueues it.
      this.logger.error(
        { event: 'queue.error', orgId, messageId, err: error },
        'could not enqueue',
      );
    }
  }

  private check(dto: CreateMessageDto): void {
    const problems = this.templates.check(dto);
    if (dto.contactId !== undefined && dto.to !== undefined) {
      problems.push({ field: 'to', reason: 'give either contactId or to, not both' });
    }
    if (problems.length > 0) throw new InvalidInputException(problems);
  }

  private async view(row: MessageRow): Promise<Message> {
    const delivery = await this.deliveries.findForMessage(row.id);

    return {
      id: row.id,
      contactId: row.contact_id,
      to: { email: row.to_email, name: row.to_name },
      from: { email: row.from_email, name: row.from_name },
      replyTo: row.reply_to,
      subject: row.subject,
      sendAt: row.send_at,
      createdAt: row.created_at,
      status: delivery?.status ?? 'pending',
      attempts: delivery?.attempts ?? 0,
      lastError: delivery?.lastError ?? null,
      provider: delivery?.provider ?? null,
      providerMessageId: delivery?.providerMessageId ?? null,
      sentAt: delivery?.sentAt ?? null,
    };
  }
}

function hashRequest(dto: CreateMessageDto): string {
  return createHash('sha256').update(JSON.stringify(dto)).digest('hex');
}
