import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import writeFileAtomic from 'write-file-atomic';
import {
  BatchOutcome,
  EmailBatch,
  materializeBody,
  OutgoingMessage,
  SentMessage,
} from './email-batch';
import { EmailProvider } from './email-provider';
import { EmailProviderError } from './email-provider.error';
import { emptyOutcome } from './outcome';

export interface OutboxSettings {
  /** Where the .eml files go; created when missing. */
  dir: string;
}

/** A delivery id that is safe as a file name: no separators, no leading dot. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * The embedded provider: each message becomes OUTBOX_DIR/<deliveryId>.eml, an RFC 5322 message
 * any mail client opens. Files are replaced atomically, so a resent message overwrites its file.
 */
export class OutboxEmailProvider extends EmailProvider {
  readonly name = 'outbox';
  readonly maxBatchSize = 500;
  readonly substitutesServerSide = false;

  constructor(private readonly settings: OutboxSettings) {
    super();
  }

  async send(batch: EmailBatch): Promise<BatchOutcome> {
    const outcome = emptyOutcome();
    await this.attempt(() => mkdir(this.settings.dir, { recursive: true }), outcome);

    for (const message of batch.messages) {
      if (!FILE_NAME.test(message.deliveryId)) {
        const reason = 'delivery id cannot be used as an outbox file name';
        outcome.rejected.push({ deliveryId: message.deliveryId, reason });
        continue;
      }
      outcome.sent.push(await this.attempt(() => this.write(batch, message), outcome));
    }

    return outcome;
  }

  private async write(batch: EmailBatch, message: OutgoingMessage): Promise<SentMessage> {
    const messageId = `<${message.deliveryId}@${domainOf(batch.from.email)}>`;
    const eml = await composeEml(batch, message, messageId);
    await writeFileAtomic(join(this.settings.dir, `${message.deliveryId}.eml`), eml);

    return { deliveryId: message.deliveryId, providerMessageId: messageId };
  }

  /** A disk that is full or read-only may recover: retry, keeping what was written. */
  private async attempt<T>(step: () => Promise<T>, settled: BatchOutcome): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const message = `outbox could not write to ${this.settings.dir}: ${code}`;
      const copy = { sent: [...settled.sent], rejected: [...settled.rejected] };
      throw new EmailProviderError('transient', message, null, null, copy);
    }
  }
}

function composeEml(
  batch: EmailBatch,
  message: OutgoingMessage,
  messageId: string,
): Promise<Buffer> {
  const body = materializeBody(batch, message);
  const composer = new MailComposer({
    messageId,
    from: { name: batch.from.name ?? '', address: batch.from.email },
    to: { name: message.to.name ?? '', address: message.to.email },
    ...(batch.replyTo ? { replyTo: batch.replyTo } : {}),
    subject: message.subject,
    ...(body.text === null ? {} : { text: body.text }),
    html: body.html,
    headers: {
      ...message.headers,
      'X-Org-Id': batch.orgId,
      ...(batch.campaignId === null ? {} : { 'X-Campaign-Id': batch.campaignId }),
      'X-Delivery-Id': message.deliveryId,
    },
  });

  return composer.compile().build();
}

function domainOf(email: string): string {
  const at = email.lastIndexOf('@');

  return at === -1 ? 'localhost' : email.slice(at + 1);
}
