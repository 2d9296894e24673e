import { materializeBody } from '../../src/email/email-batch';
import {
  idempotencyKey,
  ResendEmailProvider,
  ResendSettings,
} from '../../src/email/resend-email.provider';
import { ResendStandIn } from '../support/resend-stand-in';
import {
  CAMPAIGN_ID,
  ORG_ID,
  ownBodyBatch,
  recipient,
  sharedBodyBatch,
  failureOf,
} from './batches';

describe('ResendEmailProvider through the resend SDK against a Resend stand-in', () => {
  let standIn: ResendStandIn;

  beforeEach(async () => {
    standIn = await ResendStandIn.start();
  });

  afterEach(() => standIn.close());

  function provider(settings: Partial<ResendSettings> = {}): ResendEmailProvider {
    return new ResendEmailProvider({
      apiKey: standIn.apiKey,
      baseUrl: standIn.url,
      timeoutMs: 2_000,
      ...settings,
    });
  }

  it('sends a batch in one call keyed by the batch id, with Resend’s id for each message', async () => {
    const batch = ownBodyBatch(3);

    const outcome = await provider().send(batch);

    expect(standIn.requests).toMatchObject([{ status: 200, validation: 'permissive' }]);
    expect(standIn.requests[0].idempotencyKey).toMatch(new RegExp(`^${batch.batchId}:[\\w-]{22}$`));
    expect(outcome).toEqual({
      sent: batch.messages.map((m) => ({
        deliveryId: m.deliveryId,
        providerMessageId: standIn.receivedBy(m.to.email)[0].id,
      })),
      rejected: [],
    });
  });

  it('tags every email with org, campaign and delivery and gives each its headers', async () => {
    const batch = ownBodyBatch(2);

    await provider().send(batch);

    for (const [n, message] of batch.messages.entries()) {
      const [received] = standIn.receivedBy(message.to.email);
      expect(received.tags).toEqual([
        { name: 'org_id', value: ORG_ID },
        { name: 'campaign_id', value: CAMPAIGN_ID },
        { name: 'delivery_id', value: message.deliveryId },
      ]);
      expect(received.headers).toEqual({
        'List-Unsubscribe': `<https://mailer.example/v1/unsubscribe/token-${n}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      expect(received).toMatchObject({
        from: 'Acme News <news@acme.example>',
        to: [`Contact ${n} <${recipient(n)}>`],
        replyTo: ['support@acme.example'],
        subject: message.subject,
        html: message.html,
        text: message.text,
      });
    }
  });

  it('fills in a shared body for each recipient exactly as materializeBody does', async () => {
    const batch = sharedBodyBatch(3);

    await provider().send(batch);

    for (const message of batch.messages) {
      const [received] = standIn.receivedBy(message.to.email);
      expect({ html: received.html, text: received.text }).toEqual(materializeBody(batch, message));
    }
    expect(standIn.receivedBy(recipient(0))[0].text).toBe(
      'Hi Ann "$&" O\'Neil <0>,\nPlan: Pro & $1 $$ tier',
    );
  });

  it('sends a retried batch only once: the repeated key gets the first answer', async () => {
    const batch = ownBodyBatch(3);

    const first = await provider().send(batch);
    const again = await provider().send(batch);

    expect(again).toEqual(first);
    expect(standIn.received).toHaveLength(3);
    expect(standIn.requests.map((r) => r.replayed)).toEqual([false, true]);
  });

  it('classifies a timeout as transient, and the retry does not send the batch twice', async () => {
    const batch = ownBodyBatch(2);
    standIn.slowNext(1_000);

    const failure = await failureOf(provider({ timeoutMs: 200 }).send(batch));
    const retried = await provider().send(batch);

    expect(failure).toMatchObject({ kind: 'transient', statusCode: null });
    expect(retried.sent).toHaveLength(2);
    expect(batch.messages.map((m) => standIn.receivedBy(m.to.email).length)).toEqual([1, 1]);
  });

  it('rejects only the email Resend refuses and sends the others', async () => {
    const batch = ownBodyBatch(3);
    const bad = batch.messages[1];
    bad.to = { email: 'not-an-address' };

    const outcome = await provider().send(batch);

    expect(outcome.rejected).toEqual([
      { deliveryId: bad.deliveryId, reason: expect.stringContaining('Invalid `to` field') },
    ]);
    expect(outcome.sent.map((s) => s.deliveryId)).toEqual([
      batch.messages[0].deliveryId,
      batch.messages[2].deliveryId,
    ]);
    expect(outcome.sent.map((s) => s.providerMessageId)).toEqual(standIn.received.map((m) => m.id));
  });

  it('splits more than 100 emails into calls with their own keys', async () => {
    const batch = ownBodyBatch(150);

    const outcome = await provider().send(batch);

    const ids = batch.messages.map((m) => m.deliveryId);
    expect(standIn.requests.map((r) => r.idempotencyKey)).toEqual([
      idempotencyKey(batch.batchId, ids.slice(0, 100)),
      idempotencyKey(batch.batchId, ids.slice(100)),
    ]);
    expect(outcome.sent).toHaveLength(150);
    expect(standIn.received).toHaveLength(150);
  });

  it('classifies a 429 as rate_limited with the delay Resend asks for', async () => {
    standIn.failNext(ResendStandIn.rateLimited(12));

    const failure = await failureOf(provider().send(ownBodyBatch(1)));

    expect(failure).toMatchObject({ kind: 'rate_limited', statusCode: 429, retryAfterMs: 12_000 });
    expect(standIn.received).toEqual([]);
  });

  it('classifies 503s as transient, including a non-JSON error page', async () => {
    standIn.failNext(
      { status: 503, body: { statusCode: 503, name: 'application_error', message: 'down' } },
      { status: 502, body: '<html>Bad gateway</html>' },
    );

    const first = await failureOf(provider().send(ownBodyBatch(1)));
    const second = await failureOf(provider().send(ownBodyBatch(1)));

    expect(first).toMatchObject({ kind: 'transient', statusCode: 503 });
    expect(second).toMatchObject({ kind: 'transient', statusCode: 502 });
  });

  it('classifies a wrong API key as unauthorized', async () => {
    const failure = await failureOf(provider({ apiKey: 're_revoked' }).send(ownBodyBatch(1)));

    expect(failure).toMatchObject({ kind: 'unauthorized', statusCode: 403 });
  });

  it('sends a recomposed retry, holding only the unsettled messages, under its own key', async () => {
    const batch = ownBodyBatch(3);
    await provider().send({ ...batch, messages: batch.messages.slice(0, 2) });

    await provider().send({ ...batch, messages: batch.messages.slice(2) });

    expect(standIn.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(standIn.received).toHaveLength(3);
  });

  it('treats the same deliveries sent again with another body as a permanent failure', async () => {
    const batch = ownBodyBatch(1);
    await provider().send(batch);
    batch.messages[0].subject = 'Changed between attempts';

    const failure = await failureOf(provider().send(batch));

    expect(failure).toMatchObject({ kind: 'permanent', statusCode: 409 });
    expect(failure.message).toContain('invalid_idempotent_request');
    expect(standIn.received).toHaveLength(1);
  });

  it('keys a call by batch id and deliveries, hashing keys Resend would find too long', () => {
    expect(idempotencyKey('b1', ['d1', 'd2'])).toBe(idempotencyKey('b1', ['d1', 'd2']));
    expect(idempotencyKey('b1', ['d1', 'd2'])).not.toBe(idempotencyKey('b1', ['d1']));
    expect(idempotencyKey('b1', ['d1'])).not.toBe(idempotencyKey('b2', ['d1']));
    expect(idempotencyKey('b'.repeat(300), ['d1']).length).toBeLessThanOrEqual(256);
  });
});
