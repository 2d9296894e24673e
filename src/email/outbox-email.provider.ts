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
const BAD_FILE_NAME = 'delivery id cannot be used as an outbox file name';

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
    try {
      await mkdir(this.settings.dir, { recursive: true });
      for (const message of batch.messages) {
        if (FILE_NAME.test(message.deliveryId)) outcome.sent.push(await this.write(batch, message));
        else outcome.rejected.push({ deliveryId: message.deliveryId, reason: BAD_FILE_NAME });
      }
    } catch (error) {
      // A disk that is full or read-only may recover: transient, keeping what was written.
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const message = `outbox could not write to ${this.settings.dir}: ${code}`;
      throw new EmailProviderError('transient', message, null, null, outcome);
    }

    return outcome;
  }

  private async write(batch: EmailBatch, message: OutgoingMessage): Promise<SentMessage> {
    const messageId = `<${message.deliveryId}@${domainOf(batch.from.email)}>`;
    const eml = await composeEml(batch, message, messageId);
    // Rename gives atomicity; an fsync per file would cost milliseconds for a local sink.
    await writeFileAtomic(join(this.settings.dir, `${message.deliveryId}.eml`), eml, {
      fsync: false,
    });

    return { deliveryId: message.deliveryId, providerMessageId: messageId };
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
