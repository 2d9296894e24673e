import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { BatchOutcome, EmailBatch } from '../src/email/email-batch';
import { EmailProvider } from '../src/email/email-provider';
import { EMAIL_QUEUE } from '../src/delivery/email-queue';
import { RecoverySweep } from '../src/worker/recovery-sweep';
import { eventually } from './support/eventually';
import { bearer, startTestApp, TestApp } from './support/test-app';

/** Records every message and takes a while per batch, so work is in flight when Redis is wiped. */
class SlowRecordingProvider extends EmailProvider {
  readonly name = 'recording';
  readonly maxBatchSize = 25;
  readonly substitutesServerSide = false;
  readonly received: string[] = [];

  async send(batch: EmailBatch): Promise<BatchOutcome> {
    await new Promise((resolve) => setTimeout(resolve, 40));
    this.received.push(...batch.messages.map((m) => m.to.email));

    return {
      sent: batch.messages.map((m) => ({ deliveryId: m.deliveryId, providerMessageId: null })),
      rejected: [],
    };
  }
}

describe('delivery when Redis loses its data (HTTP, real Redis)', () => {
  const provider = new SlowRecordingProvider();
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    process.env.WORKER_CONCURRENCY = '1';
    t = await startTestApp((b) => b.overrideProvider(EmailProvider).useValue(provider));
    key = (await t.createOrg()).apiKey;
  });

  afterAll(() => t.close());

  it('finishes a campaign whose queue was wiped mid-send, one email per contact', async () => {
    const contacts = Array.from({ length: 300 }, (_, i) => ({ email: `c${i}@example.com` }));
    await t.http
      .post('/v1/contacts')
      .set(...bearer(key))
      .send({ contacts })
      .expect(200);
    const campaign = await t.http
      .post('/v1/campaigns')
      .set(...bearer(key))
      .send({ name: 'Wipe', subject: 'Hi', html: '<p>Hi</p>', from: { email: 'a@acme.test' } })
      .expect(201);
    const id = campaign.body.id as string;
    await t.http
      .post(`/v1/campaigns/${id}/send`)
      .set(...bearer(key))
      .send({})
      .expect(202);

    await eventually(
      async () => (provider.received.length >= 50 ? true : undefined),
      'first batches',
    );
    const queue = t.app.get<Queue>(getQueueToken(EMAIL_QUEUE));
    await queue.obliterate({ force: true });
    const before = provider.received.length;
    expect(before).toBeLessThan(300);

    await t.app.get(RecoverySweep).sweep();
    const done = await eventually(
      async () => {
        const res = await t.http
          .get(`/v1/campaigns/${id}`)
          .set(...bearer(key))
          .expect(200);
        return res.body.status === 'sent' ? res.body : undefined;
      },
      'campaign sent after recovery',
      30_000,
    );

    expect(done.stats).toMatchObject({ total: 300, sent: 300, pending: 0 });
    expect(new Set(provider.received).size).toBe(300);
    expect(provider.received).toHaveLength(300);
  });
});
