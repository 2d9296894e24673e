import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import { CacheInvalidator } from '../cache/cache-invalidator';
import { AppConfig } from '../config/app-config';
import { ContactRepository } from '../contacts/contact.repository';
import { connectDatabase, migrateToLatest } from '../database/connect';
import { Database } from '../database/database';
import { BatchComposer } from '../delivery/batch-composer';
import { BatchSender } from '../delivery/batch-sender';
import { DeliveryRepository } from '../delivery/delivery.repository';
import { CampaignBatchData, EMAIL_QUEUE, EmailJob } from '../delivery/email-queue';
import { BatchOutcome, EmailBatch, materializeBody } from '../email/email-batch';
import { EmailProvider } from '../email/email-provider';
import { EmailProviderError } from '../email/email-provider.error';
import { OrgRepository } from '../orgs/org.repository';
import { TemplateRenderer } from '../templates/template-renderer';
import { UnsubscribeTokens } from '../unsubscribe/unsubscribe-token';
import { CampaignDispatcher } from './campaign-dispatcher';
import { CampaignRepository } from './campaign.repository';

/** A provider that records every batch and answers what the test scripts. */
class FakeProvider extends EmailProvider {
  readonly name = 'fake';
  readonly maxBatchSize = 2;
  readonly substitutesServerSide = true;
  readonly batches: EmailBatch[] = [];
  answer: (batch: EmailBatch) => BatchOutcome = (batch) => ({
    sent: batch.messages.map((m) => ({
      deliveryId: m.deliveryId,
      providerMessageId: `pm-${m.deliveryId}`,
    })),
    rejected: [],
  });

  async send(batch: EmailBatch): Promise<BatchOutcome> {
    this.batches.push(batch);

    return this.answer(batch);
  }
}

const silentLogger = {
  setContext: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

describe('CampaignDispatcher', () => {
  let db: Database;
  let dispatcher: CampaignDispatcher;
  let provider: FakeProvider;
  let campaigns: CampaignRepository;
  let enqueued: { name: string; data: CampaignBatchData; opts: { jobId: string } }[];
  const orgId = '01900000-0000-7000-8000-000000000001';
  const campaignId = '01900000-0000-7000-8000-0000000000c1';

  beforeEach(async () => {
    db = connectDatabase(':memory:') as Database;
    await migrateToLatest(db, ':memory:');
    provider = new FakeProvider();
    enqueued = [];
    const moduleRef = await Test.createTestingModule({
      providers: [
        CampaignDispatcher,
        CampaignRepository,
        ContactRepository,
        DeliveryRepository,
        OrgRepository,
        BatchComposer,
        BatchSender,
        TemplateRenderer,
        UnsubscribeTokens,
        { provide: Database, useValue: db },
        { provide: EmailProvider, useValue: provider },
        { provide: PinoLogger, useValue: silentLogger },
        { provide: CacheInvalidator, useValue: { invalidate: async () => true } },
        {
          provide: AppConfig,
          useValue: {
            emailMaxAttempts: 3,
            deliveryLeaseMs: 60_000,
            emailRetryBaseMs: 100,
            emailRetryMaxMs: 1000,
            publicBaseUrl: 'https://mail.example.test',
            appSecret: 'a-test-secret-that-is-long-enough-000',
          },
        },
        // Like BullMQ, a job id already in the queue is not added again.
        {
          provide: getQueueToken(EMAIL_QUEUE),
          useValue: {
            add: async (name: string, data: CampaignBatchData, opts: { jobId: string }) => {
              if (!enqueued.some((j) => j.opts.jobId === opts.jobId))
                enqueued.push({ name, data, opts });
            },
          },
        },
      ],
    }).compile();
    dispatcher = moduleRef.get(CampaignDispatcher);
    campaigns = moduleRef.get(CampaignRepository);
    await seed(moduleRef.get(OrgRepository), moduleRef.get(ContactRepository));
  });

  afterEach(() => db.destroy());

  async function seed(orgs: OrgRepository, contacts: ContactRepository, html?: string) {
    const now = new Date().toISOString();
    await orgs.insert({
      id: orgId,
      name: 'Acme',
      api_key_hash: 'h',
      api_key_prefix: 'p',
      created_at: now,
    });
    await contacts.upsertMany(orgId, [
      { email: 'ann@example.com', firstName: 'Ann', attributes: { plan: 'pro' } },
      { email: 'bob@example.com' },
      { email: 'cy@example.com', firstName: 'Cy' },
    ]);
    await campaigns.insert({
      id: campaignId,
      org_id: orgId,
      name: 'Launch',
      subject: 'Hi {{ firstName | default: "there" }}',
      html: html ?? '<p>{{ firstName | default: "friend" }} on {{ attributes.plan }}</p>',
      text: null,
      from_email: 'news@acme.test',
      from_name: null,
      reply_to: null,
      audience_tags: null,
      status: 'sending',
      status_reason: null,
      send_at: null,
      started_at: now,
      completed_at: null,
      fanout_completed_at: null,
      created_at: now,
      updated_at: now,
    });
  }

  async function statuses(): Promise<Record<string, string>> {
    const rows = await db.selectFrom('deliveries').select(['email', 'status']).execute();

    return Object.fromEntries(rows.map((r) => [r.email, r.status]));
  }

  async function fanOutAndSendAll() {
    await dispatcher.kick({ orgId, campaignId });
    const decisions = [];
    for (const job of enqueued.filter((j) => j.name === EmailJob.CampaignBatch)) {
      decisions.push(await dispatcher.sendBatch(job.data));
    }

    return decisions;
  }

  it('the campaign email task calls the provider with personalized, org-scoped batches', async () => {
    await fanOutAndSendAll();

    expect(provider.batches).toHaveLength(2);
    const messages = provider.batches.flatMap((b) => b.messages.map((m) => ({ b, m })));
    const bodies = messages.map(({ b, m }) => [m.to.email, m.subject, materializeBody(b, m).html]);
    expect(bodies).toEqual([
      ['ann@example.com', 'Hi Ann', '<p>Ann on pro</p>'],
      ['bob@example.com', 'Hi there', '<p>friend on </p>'],
      ['cy@example.com', 'Hi Cy', '<p>Cy on </p>'],
    ]);
    expect(provider.batches.every((b) => b.orgId === orgId && b.campaignId === campaignId)).toBe(
      true,
    );
    expect(
      messages.every(({ m }) =>
        m.headers['List-Unsubscribe']?.startsWith('<https://mail.example.test/v1/unsubscribe/'),
      ),
    ).toBe(true);
    expect(await statuses()).toEqual({
      'ann@example.com': 'sent',
      'bob@example.com': 'sent',
      'cy@example.com': 'sent',
    });
    expect((await campaigns.findRow(orgId, campaignId))?.status).toBe('sent');
  });

  it('enqueues each batch under a deterministic job id, once', async () => {
    await dispatcher.kick({ orgId, campaignId });
    await dispatcher.kick({ orgId, campaignId });

    const ids = enqueued.map((j) => j.opts.jobId);
    expect(ids).toEqual([`batch_${campaignId}_0_0`, `batch_${campaignId}_0_1`]);
    expect(await db.selectFrom('deliveries').select('id').execute()).toHaveLength(3);
  });

  it('retries a transient failure with a bounded delay and keeps the deliveries pending', async () => {
    provider.answer = () => {
      throw new EmailProviderError('transient', 'service unavailable', 503);
    };
    const [decision] = await fanOutAndSendAll();

    expect(decision.next).toBe('retry');
    expect(decision.next === 'retry' && decision.delayMs).toBeGreaterThanOrEqual(50);
    expect(decision.next === 'retry' && decision.delayMs).toBeLessThanOrEqual(1000);
    const ann = await db
      .selectFrom('deliveries')
      .selectAll()
      .where('email', '=', 'ann@example.com')
      .executeTakeFirstOrThrow();
    expect(ann).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'service unavailable',
    });
  });

  it('fails the deliveries once the attempts are used up', async () => {
    provider.answer = () => {
      throw new EmailProviderError('transient', 'timeout', null);
    };
    await dispatcher.kick({ orgId, campaignId });
    const first = enqueued[0].data;
    for (let i = 0; i < 3; i++) await dispatcher.sendBatch(first);

    expect(await statuses()).toMatchObject({
      'ann@example.com': 'failed',
      'bob@example.com': 'failed',
    });
    expect(provider.batches).toHaveLength(3);
  });

  it('waits out a rate limit without counting an attempt', async () => {
    provider.answer = () => {
      throw new EmailProviderError('rate_limited', 'too many requests', 429, 7_000);
    };
    const [decision] = await fanOutAndSendAll();

    expect(decision).toEqual({ next: 'rate_limited', delayMs: 7_000 });
    const rows = await db.selectFrom('deliveries').select(['status', 'attempts']).execute();
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
  });

  it('pauses the campaign on refused credentials instead of failing recipients', async () => {
    provider.answer = () => {
      throw new EmailProviderError('unauthorized', 'invalid API key', 401);
    };
    await fanOutAndSendAll();

    const campaign = await campaigns.findRow(orgId, campaignId);
    expect(campaign).toMatchObject({ status: 'paused' });
    expect(campaign?.status_reason).toContain('invalid API key');
    expect(Object.values(await statuses())).toEqual(['pending', 'pending', 'pending']);
    expect(provider.batches).toHaveLength(1);
  });

  it('fails only the recipient the provider rejects and sends the rest', async () => {
    provider.answer = (batch) => ({
      sent: batch.messages
        .slice(1)
        .map((m) => ({ deliveryId: m.deliveryId, providerMessageId: 'x' })),
      rejected: [{ deliveryId: batch.messages[0].deliveryId, reason: 'invalid email' }],
    });
    await fanOutAndSendAll();

    expect(await statuses()).toEqual({
      'ann@example.com': 'failed',
      'bob@example.com': 'sent',
      'cy@example.com': 'failed',
    });
  });

  it('sends a template with tags one body per recipient instead of a shared body', async () => {
    await db
      .updateTable('campaigns')
      .set({ html: '{% if firstName %}<p>{{ firstName }}</p>{% else %}<p>you</p>{% endif %}' })
      .execute();
    await fanOutAndSendAll();

    expect(provider.batches[0].shared).toBeNull();
    expect(provider.batches.flatMap((b) => b.messages.map((m) => m.html))).toEqual([
      '<p>Ann</p>',
      '<p>you</p>',
      '<p>Cy</p>',
    ]);
  });

  it('does not send a batch another job holds, and looks again when its lease ends', async () => {
    await dispatcher.kick({ orgId, campaignId });
    const until = new Date(Date.now() + 30_000).toISOString();
    await db
      .updateTable('deliveries')
      .set({ claim_token: 'other-job', claimed_until: until })
      .execute();

    const decision = await dispatcher.sendBatch(enqueued[0].data);

    expect(provider.batches).toHaveLength(0);
    expect(decision.next).toBe('retry');
    expect(decision.next === 'retry' && decision.delayMs).toBeGreaterThan(25_000);
  });

  it('cancels what it records after the campaign was cancelled mid-snapshot', async () => {
    const original = campaigns.findRow.bind(campaigns);
    let reads = 0;
    jest.spyOn(campaigns, 'findRow').mockImplementation(async (o, id) => {
      const row = await original(o, id);
      // The first read starts the kick; the campaign is cancelled once the first page is in.
      if (row && ++reads > 1)
        await db.updateTable('campaigns').set({ status: 'cancelled' }).execute();

      return row && reads > 1 ? { ...row, status: 'cancelled' } : row;
    });

    await dispatcher.kick({ orgId, campaignId });

    const rows = await db.selectFrom('deliveries').select('status').execute();
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect((await original(orgId, campaignId))?.fanout_completed_at).toBeNull();
  });
});
