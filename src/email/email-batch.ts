/**
 * What the delivery pipeline hands to an email provider: one batch of messages of one org and
 * one campaign (or one one-off message), already personalized.
 *
 * A batch comes in one of two forms:
 * - `shared` set: every message's body is `shared.html` / `shared.text` with each key of that
 *   message's `substitutions` replaced, literally, by its value (keys are unique tokens that
 *   cannot occur in a template's own text). Providers that substitute server-side (SendGrid)
 *   send the whole batch in one request; the others apply `materializeBody`.
 * - `shared` null: every message carries its own `html` / `text`.
 */
export interface EmailBatch {
  /** Stable across retries of the same batch: providers use it as their idempotency key. */
  batchId: string;
  orgId: string;
  campaignId: string | null;
  from: EmailAddress;
  replyTo: string | null;
  shared: { html: string; text: string | null } | null;
  messages: OutgoingMessage[];
}

export interface EmailAddress {
  email: string;
  name?: string | null;
}

export interface OutgoingMessage {
  deliveryId: string;
  to: EmailAddress;
  /** Already rendered for this recipient, one line. */
  subject: string;
  /** Set when the batch has no shared body. */
  html?: string;
  text?: string | null;
  /** Set when the batch has a shared body. */
  substitutions?: Record<string, string>;
  /** Per-recipient headers, such as List-Unsubscribe. */
  headers: Record<string, string>;
}

export interface SentMessage {
  deliveryId: string;
  providerMessageId: string | null;
}

export interface RejectedMessage {
  deliveryId: string;
  reason: string;
}

/** Which messages the provider accepted and which it refused for good. */
export interface BatchOutcome {
  sent: SentMessage[];
  rejected: RejectedMessage[];
}

/** The html and text one message of a batch ends up with. */
export function materializeBody(
  batch: EmailBatch,
  message: OutgoingMessage,
): { html: string; text: string | null } {
  if (!batch.shared) return { html: message.html ?? '', text: message.text ?? null };

  const subs = Object.entries(message.substitutions ?? {});
  const apply = (body: string) =>
    subs.reduce((out, [key, value]) => out.split(key).join(value), body);

  return {
    html: apply(batch.shared.html),
    text: batch.shared.text === null ? null : apply(batch.shared.text),
  };
}
