import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime, { Email } from 'postal-mime';
import { eventually } from './support/eventually';
import { bearer, startTestApp, TestApp } from './support/test-app';

/** Campaigns and reminders through the real queue (Redis) into the default outbox provider. */
describe('campaign delivery (HTTP, queue, outbox)', () => {
  let t: TestApp;
  let outbox: string;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'outbox-'));
    process.env.OUTBOX_DIR = outbox;
    process.env.EMAIL_PROVIDER = 'outbox';
    t = await startTestApp();
    key = (await t.createOrg('Acme')).apiKey;
    otherKey = (await t.createOrg('Globex')).apiKey;
  });

  afterAll(async () => {
    await t.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  const post = (path: string, body: object, apiKey = key) =>
    t.http.post(path).set(...bearer(apiKey)).send(body);
  const get = (path: string, apiKey = key) => t.http.get(path).set(...bearer(apiKey));

  async function createCampaign(overrides: object = {}): Promise<string> {
    const res = await post('/v1/campaigns', {
      name: 'Launch',
      subject: 'Hi {{ firstName | default: "there" }}',
      html: '<p>Hello {{ firstName | default: "friend" }}, plan {{ attributes.plan }}</p>',
      text: 'Hello {{ firstName | default: "friend" }} ({{ attributes.plan }})',
      from: { email: 'news@acme.test', name: 'Acme' },
      ...overrides,
    }).expect(201);

    return res.body.id as string;
  }

  async function finished(campaignId: string, status = 'sent') {
    return eventually(async () => {
      const res = await get(`/v1/campaigns/${campaignId}`).expect(200);
      return res.body.status === status ? res.body : undefined;
    }, `campaign ${status}`);
  }

  async function parsedOutbox(): Promise<Map<string, Email>> {
    const parsed = new Map<string, Email>();
    for (const file of readdirSync(outbox).filter((f) => f.endsWith('.eml'))) {
      const email = await PostalMime.parse(readFileSync(join(outbox, file)));
      parsed.set(file.replace(/\.eml$/, ''), email);
    }

    return parsed;
  }

  it('sends every contact of the audience one personalized email and then reads sent', async () => {
    await post('/v1/contacts', {
      contacts: [
        { email: 'ann@example.com', firstName: 'Ann <b>&', attributes: { plan: 'pro' }, tags: ['beta'] },
        { email: 'bob@example.com', tags: ['beta'] },
        { email: 'cy@example.com', firstName: 'Cy', tags: ['beta'] },
        { email: 'dee@example.com', firstName: 'Dee' },
      ],
    }).expect(200);
    const id = await createCampaign({ audience: { tags: ['beta'] } });

    const sent = await post(`/v1/campaigns/${id}/send`, {}).expect(202);
    expect(sent.body.status).toBe('sending');
    const done = await finished(id);

    expect(done.stats).toEqual({ total: 3, pending: 0, sent: 3, failed: 0, skipped: 0, cancelled: 0 });
    const deliveries = (await get(`/v1/campaigns/${id}/deliveries`).expect(200)).body.data;
    const emails = await parsedOutbox();
    const byAddress = new Map<string, Email | undefined>(
      deliveries.map((d: { id: string; email: string }) => [d.email, emails.get(d.id)]),
    );
    expect(byAddress.size).toBe(3);
    const ann = byAddress.get('ann@example.com')!;
    expect(ann.subject).toBe('Hi Ann <b>&');
    expect(ann.html).toContain('<p>Hello Ann &lt;b&gt;&amp;, plan pro</p>');
    expect(ann.text).toContain('Hello Ann <b>& (pro)');
    expect(byAddress.get('bob@example.com')!.subject).toBe('Hi there');
    const unsubscribe = ann.headers.find((h) => h.key === 'list-unsubscribe')?.value;
    expect(unsubscribe).toMatch(/^<https?:\/\/.+\/v1\/unsubscribe\/[A-Za-z0-9_-]+>$/);
    expect(ann.headers.find((h) => h.key === 'list-unsubscribe-post')?.value).toBe(
      'List-Unsubscribe=One-Click',
    );
  });

  it('answers 409 to sending a campaign twice and sends nothing more', async () => {
    const id = await createCampaign({ audience: { tags: ['beta'] } });
    await post(`/v1/campaigns/${id}/send`, {}).expect(202);
    await post(`/v1/campaigns/${id}/send`, {}).expect(409);
    await finished(id);
    await post(`/v1/campaigns/${id}/send`, {}).expect(409);

    const stats = (await get(`/v1/campaigns/${id}`)).body.stats;
    expect(stats.sent).toBe(3);
  });

  it('schedules a campaign for later and cancels it before it starts', async () => {
    const id = await createCampaign();
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await post(`/v1/campaigns/${id}/send`, { sendAt }).expect(202);
    expect(res.body).toMatchObject({ status: 'scheduled', sendAt });
    await post(`/v1/campaigns/${id}/send`, {}).expect(409);

    const cancelled = await post(`/v1/campaigns/${id}/cancel`, {}).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.stats.total).toBe(0);
  });

  it('starts a scheduled campaign when its time comes', async () => {
    const id = await createCampaign({ audience: { tags: ['beta'] } });
    const sendAt = new Date(Date.now() + 1_500).toISOString();
    await post(`/v1/campaigns/${id}/send`, { sendAt }).expect(202);

    const done = await finished(id);
    expect(Date.parse(done.startedAt)).toBeGreaterThanOrEqual(Date.parse(sendAt));
  });

  it('rejects a bad sendAt naming the field', async () => {
    const id = await createCampaign();
    const res = await post(`/v1/campaigns/${id}/send`, { sendAt: 'tomorrow' }).expect(400);
    expect(res.body.details).toEqual([{ field: 'sendAt', reason: 'must be an ISO 8601 date-time' }]);
  });

  it("does not let another org send, cancel or read a campaign's deliveries", async () => {
    const id = await createCampaign();
    await post(`/v1/campaigns/${id}/send`, {}, otherKey).expect(404);
    await post(`/v1/campaigns/${id}/cancel`, {}, otherKey).expect(404);
    await get(`/v1/campaigns/${id}/deliveries`, otherKey).expect(404);
    expect((await get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
  });

  it('unsubscribes through the List-Unsubscribe link and skips that contact afterwards', async () => {
    const id = await createCampaign({ audience: { tags: ['beta'] } });
    await post(`/v1/campaigns/${id}/send`, {}).expect(202);
    await finished(id);
    const deliveries = (await get(`/v1/campaigns/${id}/deliveries`)).body.data;
    const cy = deliveries.find((d: { email: string }) => d.email === 'cy@example.com');
    const header = (await parsedOutbox()).get(cy.id)!.headers.find((h) => h.key === 'list-unsubscribe')!;
    const token = /\/v1\/unsubscribe\/([^>]+)>/.exec(header.value)![1];

    await t.http.post(`/v1/unsubscribe/${token}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    await t.http.get(`/v1/unsubscribe/${token.slice(0, -2)}xx`).expect(404);

    const next = await createCampaign({ audience: { tags: ['beta'] } });
    await post(`/v1/campaigns/${next}/send`, {}).expect(202);
    const done = await finished(next);
    expect(done.stats).toMatchObject({ total: 3, sent: 2, skipped: 1 });
    const skipped = await get(`/v1/campaigns/${next}/deliveries?status=skipped`).expect(200);
    expect(skipped.body.data.map((d: { email: string }) => d.email)).toEqual(['cy@example.com']);
  });

  it('sends a reminder once per Idempotency-Key and shows its outcome', async () => {
    const body = {
      to: { email: 'zed@example.com', name: 'Zed' },
      from: { email: 'reminders@acme.test' },
      subject: 'Your trial ends soon',
      html: '<p>Three days left.</p>',
    };
    const first = await post('/v1/messages', body).set('Idempotency-Key', 'trial-zed').expect(202);
    const again = await post('/v1/messages', body).set('Idempotency-Key', 'trial-zed').expect(202);
    expect(again.body.id).toBe(first.body.id);
    await post('/v1/messages', { ...body, subject: 'Other' })
      .set('Idempotency-Key', 'trial-zed')
      .expect(409);

    const outcome = await eventually(async () => {
      const res = await get(`/v1/messages/${first.body.id}`).expect(200);
      return res.body.status === 'sent' ? res.body : undefined;
    }, 'message sent');
    expect(outcome).toMatchObject({ provider: 'outbox', attempts: 1 });
    const zed = [...(await parsedOutbox()).values()].filter((e) => e.to?.[0]?.address === 'zed@example.com');
    expect(zed).toHaveLength(1);
    await get(`/v1/messages/${first.body.id}`, otherKey).expect(404);
  });

  it('renders a preview for one contact', async () => {
    const id = await createCampaign();
    const contacts = (await get('/v1/contacts?tag=beta')).body.data;
    const ann = contacts.find((c: { email: string }) => c.email === 'ann@example.com');
    const res = await post(`/v1/campaigns/${id}/preview`, { contactId: ann.id }).expect(200);
    expect(res.body).toEqual({
      subject: 'Hi Ann <b>&',
      html: '<p>Hello Ann &lt;b&gt;&amp;, plan pro</p>',
      text: 'Hello Ann <b>& (pro)',
    });
  });
});
