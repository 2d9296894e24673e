import { createHash } from 'node:crypto';
import { CreateBatchEmailOptions, Resend } from 'resend';
import {
  BatchOutcome,
  EmailAddress,
  EmailBatch,
  materializeBody,
  OutgoingMessage,
} from './email-batch';
import { EmailProvider } from './email-provider';
import { EmailProviderError } from './email-provider.error';
import { addOutcome, emptyOutcome, inGroupsOf } from './outcome';
import { resendFailure } from './resend-failure';

export interface ResendSettings {
  apiKey: string;
  /** https://api.resend.com unless pointed elsewhere (a stand-in, a proxy). */
  baseUrl: string;
  timeoutMs: number;
}

/** Resend's limit on emails in one batch call. */
const MAX_BATCH = 100;
/** Resend refuses longer idempotency keys. */
const MAX_KEY_LENGTH = 256;

/**
 * Sends through Resend's batch endpoint, up to 100 emails a call. Every call carries an
 * Idempotency-Key derived from the batch id and its deliveries, so a retried batch is answered
 * with the first result instead of being sent again (Resend keeps keys for 24 hours).
 */
export class ResendEmailProvider extends EmailProvider {
  readonly name = 'resend';
  readonly maxBatchSize = MAX_BATCH;
  readonly substitutesServerSide = false;
  private readonly client: Resend;

  constructor(private readonly settings: ResendSettings) {
    super();
    // The SDK would read RESEND_BASE_URL from the environment; the option keeps config in one place.
    this.client = new Resend(settings.apiKey, { baseUrl: settings.baseUrl });
  }

  async send(batch: EmailBatch): Promise<BatchOutcome> {
    const outcome = emptyOutcome();
    const groups = inGroupsOf(batch.messages, MAX_BATCH);

    for (const group of groups) {
      try {
        addOutcome(outcome, await this.sendGroup(batch, group));
      } catch (error) {
        if (!(error instanceof EmailProviderError)) throw error;
        throw error.withSettled(outcome);
      }
    }

    return outcome;
  }

  private async sendGroup(batch: EmailBatch, messages: OutgoingMessage[]): Promise<BatchOutcome> {
    const key = idempotencyKey(
      batch.batchId,
      messages.map((m) => m.deliveryId),
    );
    const signal = AbortSignal.timeout(this.settings.timeoutMs);
    const emails = messages.map((m) => resendEmail(batch, m));
    // Permissive: an invalid email is reported by its index and the others still go.
    const options = { idempotencyKey: key, batchValidation: 'permissive' as const, signal };

    const { data, error, headers } = await this.client.batch.send(emails, options);
    if (error) {
      if (signal.aborted) {
        const message = `Resend did not answer within ${this.settings.timeoutMs} ms`;
        throw new EmailProviderError('transient', message);
      }
      throw resendFailure(error, headers);
    }

    return outcomeOf(messages, data.data, data.errors ?? []);
  }
}

/** Created emails come back in request order, without the refused ones. */
function outcomeOf(
  messages: OutgoingMessage[],
  created: { id: string }[],
  errors: { index: number; message: string }[],
): BatchOutcome {
  const refused = new Map(errors.map((e) => [e.index, e.message]));
  const accepted = messages.filter((_, i) => !refused.has(i));

  return {
    sent: accepted.map((m, i) => ({
      deliveryId: m.deliveryId,
      providerMessageId: created[i]?.id ?? null,
    })),
    rejected: messages.flatMap((m, i) => {
      const reason = refused.get(i);

      return reason === undefined ? [] : [{ deliveryId: m.deliveryId, reason }];
    }),
  };
}

function resendEmail(batch: EmailBatch, message: OutgoingMessage): CreateBatchEmailOptions {
  const body = materializeBody(batch, message);

  return {
    from: formatAddress(batch.from),
    to: [formatAddress(message.to)],
    subject: message.subject,
    html: body.html,
    ...(body.text ? { text: body.text } : {}),
    ...(batch.replyTo ? { replyTo: batch.replyTo } : {}),
    headers: message.headers,
    tags: [
      { name: 'org_id', value: batch.orgId },
      ...(batch.campaignId === null ? [] : [{ name: 'campaign_id', value: batch.campaignId }]),
      { name: 'delivery_id', value: message.deliveryId },
    ],
  };
}

/** `Name <email>`, the name quoted when it holds anything beyond plain words. */
export function formatAddress(a: EmailAddress): string {
  const name = a.name?.replace(/[\r\n]+/g, ' ').trim();
  if (!name) return a.email;
  if (/^[\p{L}\p{N} _-]+$/u.test(name)) return `${name} <${a.email}>`;

  return `"${name.replace(/(["\\])/g, '\\$1')}" <${a.email}>`;
}

/**
 * The batch id plus a digest of the deliveries in the call, in order: a retry of the same
 * messages reuses the key, while a retry the pipeline recomposed (some recipients settled or
 * skipped meanwhile) gets its own key instead of Resend's 409 for a changed body.
 */
export function idempotencyKey(batchId: string, deliveryIds: string[]): string {
  const digest = createHash('sha256').update(deliveryIds.join('\n')).digest('base64url');
  const key = `${batchId}:${digest.slice(0, 22)}`;
  if (key.length <= MAX_KEY_LENGTH) return key;

  return createHash('sha256').update(key).digest('base64url');
}
