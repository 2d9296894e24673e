import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { materializeBody } from '../../src/email/email-batch';
import { SendGridEmailProvider, SendGridSettings } from '../../src/email/sendgrid-email.provider';
import { SendGridStandIn } from '../support/sendgrid-stand-in';
import {
  CAMPAIGN_ID,
  ORG_ID,
  ownBodyBatch,
  recipient,
  sharedBodyBatch,
  failureOf,
} from './batches';

describe('SendGridEmailProvider through @sendgrid/mail against a SendGrid stand-in', () => {
  let standIn: SendGridStandIn;

  beforeEach(async () => {
    standIn = await SendGridStandIn.start();
  });

  afterEach(() => standIn.close());

  function provider(settings: Partial<SendGridSettings> = {}): SendGridEmailProvider {
    return new SendGridEmailProvider({
      apiKey: standIn.apiKey,
      baseUrl: standIn.url,
      timeoutMs: 2_000,
      ...settings,
    });
  }

  it('sends a shared-body batch as one 202 request with one personalization per message', async () => {
    const batch = sharedBodyBatch(3);

    const outcome = await provider().send(batch);

    expect(standIn.requests.map((r) => r.status)).toEqual([202]);
    const body = standIn.requests[0].body as {
      personalizations: unknown[];
      content: { type: string }[];
    };
    expect(body.personalizations).toHaveLength(3);
    expect(body.content.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    const messageId = standIn.received[0].messageId;
    expect(outcome).toEqual({
      sent: batch.messages.map((m) => ({ deliveryId: m.deliveryId, providerMessageId: messageId })),
      rejected: [],
    });
    expect(batch.messages.map((m) => standIn.receivedBy(m.to.email).length)).toEqual([1, 1, 1]);
  });

  it('delivers each recipient exactly the subject and bodies materializeBody produces', async () => {
    const batch = sharedBodyBatch(4);

    await provider().send(batch);

    for (const message of batch.messages) {
      const [received] = standIn.receivedBy(message.to.email);
      expect(received.subject).toBe(message.subject);
      expect({ html: received.html, text: received.text }).toEqual(materializeBody(batch, message));
    }
    const [first] = standIn.receivedBy(recipient(0));
    expect(first.html).toBe(
      '<p>Hi Ann &quot;$&amp;&quot; O&#39;Neil &lt;0&gt;,</p>' +
        '<p>Plan: <b>Pro &amp; $1 $$ tier</b> &mdash; Ann &quot;$&amp;&quot; O&#39;Neil &lt;0&gt;</p>',
    );
    expect(first.text).toBe('Hi Ann "$&" O\'Neil <0>,\nPlan: Pro & $1 $$ tier');
  });

  it('scopes every recipient with string custom_args and gives each its own headers', async () => {
    const batch = sharedBodyBatch(3);

    await provider().send(batch);

    for (const [n, message] of batch.messages.entries()) {
      const [received] = standIn.receivedBy(message.to.email);
      expect(received.customArgs).toEqual({
        org_id: ORG_ID,
        campaign_id: CAMPAIGN_ID,
        delivery_id: message.deliveryId,
      });
      expect(received.headers).toEqual({
        'List-Unsubscribe': `<https://mailer.example/v1/unsubscribe/token-${n}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      });
      expect(received.from).toEqual({ email: 'news@acme.example', name: 'Acme News' });
      expect(received.replyTo).toEqual({ email: 'support@acme.example' });
    }
  });

  it('leaves campaign_id out of a one-off message that belongs to no campaign', async () => {
    const batch = { ...ownBodyBatch(1), campaignId: null };

    await provider().send(batch);

    expect(standIn.received[0].customArgs).toEqual({
      org_id: ORG_ID,
      delivery_id: batch.messages[0].deliveryId,
    });
  });

  it('sends a batch without a shared body as one request per message, each with its body', async () => {
    const batch = ownBodyBatch(3);

    const outcome = await provider().send(batch);

    expect(standIn.requests.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(outcome.sent.map((s) => s.deliveryId).sort()).toEqual(
      batch.messages.map((m) => m.deliveryId).sort(),
    );
    for (const message of batch.messages) {
      const received = standIn.receivedBy(message.to.email);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ html: message.html, text: message.text });
    }
  });

  it('splits 1001 messages into two requests SendGrid accepts, one message per recipient', async () => {
    const batch = sharedBodyBatch(1001);

    const outcome = await provider().send(batch);

    expect(standIn.requests.map((r) => r.status)).toEqual([202, 202]);
    expect(outcome.sent).toHaveLength(1001);
    expect(new Set(standIn.received.map((m) => m.to.email)).size).toBe(1001);
    expect(standIn.received).toHaveLength(1001);
  });

  it('classifies a 429 as rate_limited, waiting until X-RateLimit-Reset', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 30;
    standIn.failNext(SendGridStandIn.rateLimited(reset));

    const failure = await failureOf(provider().send(sharedBodyBatch(2)));

    expect(failure).toMatchObject({ kind: 'rate_limited', statusCode: 429 });
    expect(failure.retryAfterMs).toBeGreaterThan(28_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(31_000);
    expect(standIn.received).toEqual([]);
  });

  it('classifies 503s as transient, and a retry after the burst delivers each message once', async () => {
    const batch = sharedBodyBatch(3);
    standIn.failNext({ status: 503 }, { status: 503 }, { status: 503 });

    for (let attempt = 0; attempt < 3; attempt++) {
      const failure = await failureOf(provider().send(batch));
      expect(failure).toMatchObject({ kind: 'transient', statusCode: 503 });
    }
    await provider().send(batch);

    expect(standIn.requests.map((r) => r.status)).toEqual([503, 503, 503, 202]);
    expect(batch.messages.map((m) => standIn.receivedBy(m.to.email).length)).toEqual([1, 1, 1]);
  });

  it('rejects only the recipient a 400 names and delivers the rest in the same call', async () => {
    const batch = sharedBodyBatch(3);
    const bad = batch.messages[1];
    bad.to = { email: 'not-an-address' };

    const outcome = await provider().send(batch);

    expect(standIn.requests.map((r) => r.status)).toEqual([400, 202]);
    expect(outcome.rejected).toEqual([
      {
        deliveryId: bad.deliveryId,
        reason: 'personalizations.1.to.0.email: does not contain a valid address',
      },
    ]);
    expect(outcome.sent.map((s) => s.deliveryId)).toEqual([
      batch.messages[0].deliveryId,
      batch.messages[2].deliveryId,
    ]);
    expect(standIn.received.map((m) => m.to.email)).toEqual([recipient(0), recipient(2)]);
  });

  it('rejects a message whose substitutions exceed SendGrid’s size limit', async () => {
    const batch = sharedBodyBatch(2);
    const big = batch.messages[0];
    big.substitutions = { ...big.substitutions, '[[cm:t1]]': 'x'.repeat(10_001) };

    const outcome = await provider().send(batch);

    expect(outcome.rejected.map((r) => r.deliveryId)).toEqual([big.deliveryId]);
    expect(outcome.rejected[0].reason).toContain('personalizations.0.substitutions');
    expect(standIn.received.map((m) => m.to.email)).toEqual([recipient(1)]);
  });

  it('rejects the one bad message of a batch sent one request per message', async () => {
    const batch = ownBodyBatch(3);
    batch.messages[2].to = { email: 'nobody@' };

    const outcome = await provider().send(batch);

    expect(outcome.rejected.map((r) => r.deliveryId)).toEqual([batch.messages[2].deliveryId]);
    expect(outcome.sent).toHaveLength(2);
    expect(standIn.received).toHaveLength(2);
  });

  it('fails the whole batch as permanent when a 400 concerns the request itself', async () => {
    const batch = { ...sharedBodyBatch(2), from: { email: 'not-a-sender' } };

    const failure = await failureOf(provider().send(batch));

    expect(failure).toMatchObject({ kind: 'permanent', statusCode: 400 });
    expect(failure.message).toContain('from.email');
    expect(standIn.received).toEqual([]);
  });

  it('classifies a 401 as unauthorized', async () => {
    const failure = await failureOf(provider({ apiKey: 'SG.revoked' }).send(sharedBodyBatch(1)));

    expect(failure).toMatchObject({ kind: 'unauthorized', statusCode: 401 });
  });

  it('classifies an answer slower than EMAIL_REQUEST_TIMEOUT_MS as transient', async () => {
    standIn.slowNext(1_500);

    const failure = await failureOf(provider({ timeoutMs: 200 }).send(sharedBodyBatch(1)));

    expect(failure).toMatchObject({ kind: 'transient', statusCode: null });
  });

  it('classifies a refused connection as transient', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const failure = await failureOf(
      provider({ baseUrl: `http://127.0.0.1:${port}` }).send(sharedBodyBatch(1)),
    );

    expect(failure).toMatchObject({ kind: 'transient', statusCode: null });
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('reports the messages already sent when a per-message request fails', async () => {
    const batch = ownBodyBatch(3);
    standIn.failNext({ status: 503 });

    const failure = await failureOf(provider().send(batch));

    expect(failure.kind).toBe('transient');
    expect(failure.settled.sent).toHaveLength(2);
    expect(failure.settled.sent.map((s) => s.deliveryId).sort()).toEqual(
      standIn.received
        .map((r) => batch.messages.find((m) => m.to.email === r.to.email)?.deliveryId)
        .sort(),
    );
  });
});
