import { Injectable } from '@nestjs/common';
import { EmailAddress, EmailBatch, OutgoingMessage } from '../email/email-batch';
import {
  CompiledTemplates,
  MessageTemplates,
  RecipientValues,
  SplitBody,
  TemplateRenderer,
} from '../templates/template-renderer';
import { UnsubscribeTokens } from '../unsubscribe/unsubscribe-token';
import { PendingRecipient } from './delivery';

/** A campaign's or message's templates, parsed and split once for all its batches. */
export interface PreparedContent {
  compiled: CompiledTemplates;
  /** Set when both bodies can be sent as one shared body with per-recipient substitutions. */
  shared: { html: SplitBody; text: SplitBody | null } | null;
}

export interface BatchHeader {
  batchId: string;
  orgId: string;
  campaignId: string | null;
  from: EmailAddress;
  replyTo: string | null;
}

/** Turns templates and recipients into a personalized, org-scoped EmailBatch. */
@Injectable()
export class BatchComposer {
  constructor(
    private readonly renderer: TemplateRenderer,
    private readonly unsubscribe: UnsubscribeTokens,
  ) {}

  prepare(templates: MessageTemplates): PreparedContent {
    const compiled = this.renderer.compile(templates);
    const html = this.renderer.split('html', templates.html);
    const text = templates.text ? this.renderer.split('text', templates.text) : null;
    const splittable = html !== null && (!templates.text || text !== null);

    return { compiled, shared: splittable ? { html, text } : null };
  }

  compose(
    content: PreparedContent,
    header: BatchHeader,
    recipients: PendingRecipient[],
  ): EmailBatch {
    const shared = content.shared;
    const messages = recipients.map((r) => this.message(content, r));

    return {
      ...header,
      shared: shared ? { html: shared.html.body, text: shared.text?.body ?? null } : null,
      messages,
    };
  }

  private message(content: PreparedContent, r: PendingRecipient): OutgoingMessage {
    const values: RecipientValues = {
      email: r.email,
      firstName: r.firstName,
      lastName: r.lastName,
      attributes: r.attributes,
    };
    const headers = this.unsubscribe.headers(r.deliveryId);
    const to = { email: r.email, name: fullName(r) };
    const shared = content.shared;
    if (!shared) {
      const rendered = this.renderer.render(content.compiled, values);

      return { deliveryId: r.deliveryId, to, headers, ...rendered };
    }

    const subject = this.renderer.renderSubject(content.compiled, values);
    const substitutions = {
      ...this.renderer.renderOutputs('html', shared.html, values),
      ...(shared.text ? this.renderer.renderOutputs('text', shared.text, values) : {}),
    };

    return { deliveryId: r.deliveryId, to, subject, substitutions, headers };
  }
}

function fullName(r: PendingRecipient): string | null {
  const name = [r.firstName, r.lastName]
    .filter(Boolean)
    .join(' ')
    .replace(/[\r\n]+/g, ' ');

  return name || null;
}
