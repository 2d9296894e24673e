import { EmailProviderError } from '../../src/email/email-provider.error';
import { randomUUID } from 'node:crypto';
import { EmailBatch, OutgoingMessage } from '../../src/email/email-batch';

export const ORG_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
export const CAMPAIGN_ID = '0190a1b2-c3d4-7e5f-8a9b-111111111111';

export function recipient(n: number): string {
  return `contact${n}@example.org`;
}

/** A message for recipient n with its own body (a batch without a shared body). */
export function ownBodyMessage(n: number): OutgoingMessage {
  return {
    deliveryId: randomUUID(),
    to: { email: recipient(n), name: `Contact ${n}` },
    subject: `Your plan, Contact ${n}`,
    html: `<p>Hello Contact ${n} &amp; friends</p>`,
    text: `Hello Contact ${n} & friends`,
    headers: unsubscribeHeaders(n),
  };
}

export function ownBodyBatch(count: number, first = 0): EmailBatch {
  return {
    ...batchFrame(),
    shared: null,
    messages: Array.from({ length: count }, (_, i) => ownBodyMessage(first + i)),
  };
}

/**
 * A batch with a shared body whose tokens each message fills in. The values carry what tends
 * to break substitution: HTML-special characters, `$&` and `$1` replacement patterns, quotes.
 */
export function sharedBodyBatch(count: number, first = 0): EmailBatch {
  return {
    ...batchFrame(),
    shared: {
      html: '<p>Hi [[cm:h0]],</p><p>Plan: <b>[[cm:h1]]</b> &mdash; [[cm:h0]]</p>',
      text: 'Hi [[cm:t0]],\nPlan: [[cm:t1]]',
    },
    messages: Array.from({ length: count }, (_, i) => sharedMessage(first + i)),
  };
}

export function sharedMessage(n: number): OutgoingMessage {
  const name = `Ann "$&" O'Neil <${n}>`;
  const plan = n % 2 === 0 ? 'Pro & $1 $$ tier' : 'Basic';

  return {
    deliveryId: randomUUID(),
    to: { email: recipient(n), name: `Contact ${n}` },
    subject: `${name}, your ${plan} plan`,
    substitutions: {
      '[[cm:h0]]': escapeHtml(name),
      '[[cm:h1]]': escapeHtml(plan),
      '[[cm:t0]]': name,
      '[[cm:t1]]': plan,
    },
    headers: unsubscribeHeaders(n),
  };
}

function batchFrame(): Omit<EmailBatch, 'shared' | 'messages'> {
  return {
    batchId: `batch-${randomUUID()}`,
    orgId: ORG_ID,
    campaignId: CAMPAIGN_ID,
    from: { email: 'news@acme.example', name: 'Acme News' },
    replyTo: 'support@acme.example',
  };
}

function unsubscribeHeaders(n: number): Record<string, string> {
  return {
    'List-Unsubscribe': `<https://mailer.example/v1/unsubscribe/token-${n}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The EmailProviderError a send rejects with; fails the test if it resolves or throws another. */
export function failureOf(promise: Promise<unknown>): Promise<EmailProviderError> {
  return promise.then(
    () => Promise.reject(new Error('expected the send to fail')),
    (error: unknown) => {
      expect(error).toBeInstanceOf(EmailProviderError);

      return error as EmailProviderError;
    },
  );
}
