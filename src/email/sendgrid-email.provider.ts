import { Client } from '@sendgrid/client';
import { MailDataRequired, MailService } from '@sendgrid/mail';
import {
  BatchOutcome,
  EmailAddress,
  EmailBatch,
  materializeBody,
  OutgoingMessage,
  RejectedMessage,
} from './email-batch';
import { EmailProvider } from './email-provider';
import { EmailProviderError, gravest } from './email-provider.error';
import { addOutcome, emptyOutcome, inGroupsOf } from './outcome';
import { headerValue } from './retry-delay';
import { refusedPersonalizations, sendGridFailure } from './sendgrid-failure';

export interface SendGridSettings {
  apiKey: string;
  /** https://api.sendgrid.com, or https://api.eu.sendgrid.com for EU regional accounts. */
  baseUrl: string;
  timeoutMs: number;
}

type MailContent = NonNullable<MailDataRequired['content']>[number];

/** SendGrid's limit on personalizations, and on recipients, in one /v3/mail/send request. */
const MAX_PERSONALIZATIONS = 1000;
/** Requests in flight at once when a batch has no shared body and goes one message per request. */
const PARALLEL_REQUESTS = 8;

/**
 * Sends through SendGrid's v3 mail send API. A batch with a shared body is one request with one
 * personalization per message, SendGrid substituting each message's values; a batch without one
 * is one request per message.
 */
export class SendGridEmailProvider extends EmailProvider {
  readonly name = 'sendgrid';
  readonly maxBatchSize = MAX_PERSONALIZATIONS;
  readonly substitutesServerSide = true;
  private readonly mail = new MailService();

  constructor(settings: SendGridSettings) {
    super();
    const client = new Client();
    // setApiKey resets the base URL to the global host, so the key goes first.
    client.setApiKey(settings.apiKey);
    client.setDefaultRequest('baseUrl', settings.baseUrl);
    this.mail.setClient(client);
    this.mail.setTimeout(settings.timeoutMs);
    // Our substitution keys are literal tokens; the SDK would otherwise wrap them in {{ }}.
    this.mail.setSubstitutionWrappers('', '');
  }

  async send(batch: EmailBatch): Promise<BatchOutcome> {
    const outcome = emptyOutcome();
    const groups = batch.shared
      ? inGroupsOf(batch.messages, MAX_PERSONALIZATIONS)
      : inGroupsOf(batch.messages, PARALLEL_REQUESTS);

    for (const group of groups) {
      try {
        addOutcome(
          outcome,
          await (batch.shared ? this.deliver(batch, group) : this.each(batch, group)),
        );
      } catch (error) {
        const failure = sendGridFailure(error);
        throw failure.withSettled(addOutcome(outcome, failure.settled));
      }
    }

    return outcome;
  }

  /** One request per message, in parallel; the gravest failure wins once all have answered. */
  private async each(batch: EmailBatch, messages: OutgoingMessage[]): Promise<BatchOutcome> {
    const results = await Promise.allSettled(messages.map((m) => this.deliver(batch, [m])));
    const outcome = emptyOutcome();
    const failures: EmailProviderError[] = [];
    for (const result of results) {
      if (result.status === 'fulfilled') addOutcome(outcome, result.value);
      else failures.push(sendGridFailure(result.reason));
    }
    if (failures.length > 0) throw gravest(failures).withSettled(outcome);

    return outcome;
  }

  /**
   * One request for these messages. When SendGrid refuses only some personalizations, those
   * messages are rejected with its words and the others are sent again without them.
   */
  private async deliver(batch: EmailBatch, messages: OutgoingMessage[]): Promise<BatchOutcome> {
    const rejected: RejectedMessage[] = [];
    let pending = messages;

    while (pending.length > 0) {
      try {
        const [response] = await this.mail.send(mailData(batch, pending));
        const providerMessageId = headerValue(response.headers, 'x-message-id');
        const sent = pending.map((m) => ({ deliveryId: m.deliveryId, providerMessageId }));

        return { sent, rejected };
      } catch (error) {
        const refused = refusedPersonalizations(error, pending.length);
        if (!refused) throw sendGridFailure(error).withSettled({ sent: [], rejected });

        pending.forEach((m, i) => {
          const reason = refused.get(i);
          if (reason !== undefined) rejected.push({ deliveryId: m.deliveryId, reason });
        });
        pending = pending.filter((_, i) => !refused.has(i));
      }
    }

    return { sent: [], rejected };
  }
}

function mailData(batch: EmailBatch, messages: OutgoingMessage[]): MailDataRequired {
  // Without a shared body there is exactly one message per request.
  const body = batch.shared ?? materializeBody(batch, messages[0]);
  const content: MailContent[] = [
    ...(body.text ? [{ type: 'text/plain', value: body.text }] : []),
    ...(body.html ? [{ type: 'text/html', value: body.html }] : []),
  ];

  return {
    from: address(batch.from),
    ...(batch.replyTo ? { replyTo: batch.replyTo } : {}),
    content: content as [MailContent, ...MailContent[]],
    personalizations: messages.map((m) => ({
      to: [address(m.to)],
      subject: m.subject,
      headers: m.headers,
      ...(batch.shared ? { substitutions: m.substitutions ?? {} } : {}),
      customArgs: scopeArgs(batch, m),
    })),
  };
}

/** Org scoping that comes back on every SendGrid event; the API wants string values. */
function scopeArgs(batch: EmailBatch, message: OutgoingMessage): Record<string, string> {
  return {
    org_id: String(batch.orgId),
    ...(batch.campaignId === null ? {} : { campaign_id: String(batch.campaignId) }),
    delivery_id: String(message.deliveryId),
  };
}

function address(a: EmailAddress): { email: string; name?: string } {
  return a.name ? { email: a.email, name: a.name } : { email: a.email };
}
