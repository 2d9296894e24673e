import { ReceivedMail, ReceivedRequest, SendGridStandIn } from './support/sendgrid-stand-in';
import { eventually } from './support/eventually';
import { bearer, startTestApp, TestApp } from './support/test-app';

interface DeliveryView {
  id: string;
  contactId: string | null;
  email: string;
  status: string;
  attempts: number;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
}

interface MailSendBody {
  personalizations: { to: { email: string }[]; custom_args?: Record<string, unknown> }[];
}

/** About ten times what a 1,000-recipient request takes: only the scripted slow answer is late. */
const REQUEST_TIMEOUT_MS = 2_000;

const TEMPLATES = {
  subject: 'Hi {{ firstName | default: "there" }}, your {{ attributes.plan }} plan',
  html:
    '<p>Hello {{ firstName | default: "there" }} &amp; welcome</p>' +
    '<p>Plan: <b>{{ attributes.plan }}</b></p>',
  text: 'Hello {{ firstName | default: "there" }}\nPlan: {{ attributes.plan }}',
};

/** Contact n of an audience: names and plans that break naive escaping or substitution. */
function contact(n: number, domain: string): Record<string, unknown> {
  const names = [
    undefined,
    `Ann <b> & "Co" ${n}`,
    `O'Neil $& $1 ${n}`,
    `Zoë\r\nBcc: x${n}@evil.example.com`,
    `Name ${n}`,
  ];
  const plans = ['Gold & <Platinum>', 'basic', undefined];
  const firstName = names[n % names.length];
  const plan = plans[n % plans.length];

  return {
    email: `c${n}@${domain}`,
    ...(firstName === undefined ? {} : { firstName }),
    attributes: plan === undefined ? {} : { plan },
  };
}

/** The delivery id an unsubscribe token names: its first 16 bytes. */
function deliveryIdInToken(listUnsubscribe: string): string {
  const token = /\/v1\/unsubscribe\/([A-Za-z0-9_-]+)>$/.exec(listUnsubscribe)![1];
  const hex = Buffer.from(token, 'base64url').subarray(0, 16).toString('hex');

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/**
 * The whole delivery pipeline over HTTP: contacts and campaigns through the API, the real
 * Redis queue, and the real SendGrid SDK talking to a stand-in that checks SendGrid's rules.
 */
describe('campaign delivery through SendGrid (HTTP, real Redis, SendGrid SDK, stand-in)', () => {
  let standIn: SendGridStandIn;
  let t: TestApp;

  beforeAll(async () => {
    standIn = await SendGridStandIn.start();
    process.env.EMAIL_PROVIDER = 'sendgrid';
    process.env.SENDGRID_API_KEY = standIn.apiKey;
    process.env.SENDGRID_API_BASE_URL = standIn.url;
    process.env.EMAIL_RETRY_BASE_MS = '50';
    process.env.EMAIL_RETRY_MAX_MS = '500';
    process.env.EMAIL_REQUEST_TIMEOUT_MS = String(REQUEST_TIMEOUT_MS);
    process.env.PUBLIC_BASE_URL = 'https://mailer.example.com';
    t = await startTestApp();
  });

  afterAll(async () => {
    await t.close();
    await standIn.close();
  });

  afterEach(() => standIn.stopFailing());

  const post = (key: string, path: string, body: object) =>
    t.http
      .post(path)
      .set(...bearer(key))
      .send(body);
  const get = (key: string, path: string) => t.http.get(path).set(...bearer(key));

  /** A new org with `count` contacts. */
  async function orgWithContacts(
    count: number,
    domain: string,
  ): Promise<{ key: string; orgId: string }> {
    const { apiKey, orgId } = await t.createOrg(domain);
    const contacts = Array.from({ length: count }, (_, n) => contact(n, domain));
    const res = await post(apiKey, '/v1/contacts', { contacts }).expect(200);
    expect(res.body).toMatchObject({ created: count, rejected: [] });

    return { key: apiKey, orgId };
  }

  async function sendCampaign(key: string): Promise<string> {
    const created = await post(key, '/v1/campaigns', {
      name: 'Spring launch',
      ...TEMPLATES,
      from: { email: 'news@acme.example.com', name: 'Acme News' },
    }).expect(201);
    const id = created.body.id as string;
    const sent = await post(key, `/v1/campaigns/${id}/send`, {}).expect(202);
    expect(sent.body.status).toBe('sending');

    return id;
  }

  async function campaignIn(key: string, id: string, status: string, timeoutMs = 20_000) {
    return eventually(
      async () => {
        const res = await get(key, `/v1/campaigns/${id}`).expect(200);
        return res.body.status === status ? res.body : undefined;
      },
      `campaign ${status}`,
      timeoutMs,
    );
  }

  async function deliveriesOf(key: string, id: string, status?: string): Promise<DeliveryView[]> {
    const all: DeliveryView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '200' });
      if (status) query.set('status', status);
      if (cursor) query.set('cursor', cursor);
      const res = await get(key, `/v1/campaigns/${id}/deliveries?${query}`).expect(200);
      all.push(...(res.body.data as DeliveryView[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);

    return all;
  }

  const receivedFor = (campaignId: string): ReceivedMail[] =>
    standIn.received.filter((m) => m.customArgs.campaign_id === campaignId);

  const requestsFor = (campaignId: string): ReceivedRequest[] =>
    standIn.requests.filter((r) =>
      personalizationsOf(r).some((p) => p.custom_args?.campaign_id === campaignId),
    );

  const personalizationsOf = (r: ReceivedRequest): MailSendBody['personalizations'] =>
    (r.body as MailSendBody | null)?.personalizations ?? [];

  /** How many messages each address received. */
  function countsByAddress(mails: ReceivedMail[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of mails) counts.set(m.to.email, (counts.get(m.to.email) ?? 0) + 1);

    return counts;
  }

  function expectOnePerContact(mails: ReceivedMail[], deliveries: DeliveryView[]): void {
    const counts = countsByAddress(mails);
    expect(counts.size).toBe(deliveries.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(mails).toHaveLength(deliveries.length);
  }

  it('delivers 3,000 contacts once each, as previewed and scoped, in 3 requests', async () => {
    const { key, orgId } = await orgWithContacts(3_000, 'one.example.com');

    const id = await sendCampaign(key);
    const done = await campaignIn(key, id, 'sent');

    expect(done.stats).toEqual({
      total: 3_000,
      pending: 0,
      sent: 3_000,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    });
    expect(requestsFor(id).map((r) => [r.status, personalizationsOf(r).length])).toEqual([
      [202, 1_000],
      [202, 1_000],
      [202, 1_000],
    ]);
    const mails = receivedFor(id);
    const deliveries = await deliveriesOf(key, id);
    expect(deliveries).toHaveLength(3_000);
    expectOnePerContact(mails, deliveries);

    const byAddress = new Map(mails.map((m) => [m.to.email, m]));
    for (const d of deliveries) {
      const mail = byAddress.get(d.email)!;
      expect(mail.customArgs).toEqual({
        org_id: orgId,
        campaign_id: id,
        delivery_id: d.id,
      });
      expect(d).toMatchObject({
        status: 'sent',
        attempts: 1,
        provider: 'sendgrid',
        providerMessageId: mail.messageId,
      });
      expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      expect(deliveryIdInToken(mail.headers['List-Unsubscribe'])).toBe(d.id);
      expect(`${mail.subject}${mail.html}${mail.text}`).not.toContain('[[cm-');
    }

    const sample = deliveries.filter((_, n) => n < 10 || n % 300 === 150);
    expect(sample.length).toBeGreaterThanOrEqual(20);
    for (const d of sample) {
      const preview = await post(key, `/v1/campaigns/${id}/preview`, {
        contactId: d.contactId,
      }).expect(200);
      const mail = byAddress.get(d.email)!;
      expect({ subject: mail.subject, html: mail.html, text: mail.text }).toEqual(preview.body);
    }

    const ann = byAddress.get('c1@one.example.com')!;
    expect(ann.subject).toBe('Hi Ann <b> & "Co" 1, your basic plan');
    expect(ann.html).toBe(
      '<p>Hello Ann &lt;b&gt; &amp; &#34;Co&#34; 1 &amp; welcome</p><p>Plan: <b>basic</b></p>',
    );
    expect(ann.text).toBe('Hello Ann <b> & "Co" 1\nPlan: basic');
    expect(byAddress.get('c0@one.example.com')!.subject).toBe(
      'Hi there, your Gold & <Platinum> plan',
    );
    expect(byAddress.get('c3@one.example.com')!.subject).toBe(
      'Hi Zoë Bcc: x3@evil.example.com, your Gold & <Platinum> plan',
    );
  });

  it('delivers everyone once through 503s and a 429 that waits for its reset and costs no attempt', async () => {
    const { key } = await orgWithContacts(2_500, 'two.example.com');
    const reset = Math.ceil(Date.now() / 1000) + 2;
    standIn.failNext(
      { status: 503 },
      { status: 503 },
      { status: 503 },
      SendGridStandIn.rateLimited(reset),
    );

    const id = await sendCampaign(key);
    const done = await campaignIn(key, id, 'sent');

    expect(done.stats).toMatchObject({ total: 2_500, sent: 2_500, failed: 0, pending: 0 });
    const requests = requestsFor(id);
    expect(requests.map((r) => r.status).sort()).toEqual([202, 202, 202, 429, 503, 503, 503]);
    const deliveries = await deliveriesOf(key, id);
    expectOnePerContact(receivedFor(id), deliveries);

    // A delivery's attempts are the requests that carried it and were not refused with a 429.
    const carried = (email: string, counted: (status: number) => boolean) =>
      requests.filter(
        (r) => counted(r.status) && personalizationsOf(r).some((p) => p.to[0].email === email),
      ).length;
    for (const d of deliveries) {
      expect(d.attempts).toBe(carried(d.email, (status) => status !== 429));
    }
    const limited = requests.find((r) => r.status === 429)!;
    const limitedEmail = personalizationsOf(limited)[0].to[0].email;
    const limitedDelivery = deliveries.find((d) => d.email === limitedEmail)!;
    expect(limitedDelivery.attempts).toBe(carried(limitedEmail, () => true) - 1);

    const retryOfLimited = requests.find(
      (r) => r.at > limited.at && personalizationsOf(r).some((p) => p.to[0].email === limitedEmail),
    )!;
    expect(retryOfLimited.at).toBeGreaterThanOrEqual(reset * 1000 - 50);
  });

  it('fails only the recipient a 400 names, in SendGrid’s words, and again on retry-failed', async () => {
    const { key } = await orgWithContacts(1_200, 'three.example.com');
    await post(key, '/v1/contacts', { email: '"no reply"@three.example.com' }).expect(201);

    const id = await sendCampaign(key);
    const done = await campaignIn(key, id, 'sent');

    expect(done.stats).toMatchObject({ total: 1_201, sent: 1_200, failed: 1, pending: 0 });
    const refused = requestsFor(id).find((r) => r.status === 400)!;
    const index = personalizationsOf(refused).findIndex(
      (p) => p.to[0].email === '"no reply"@three.example.com',
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const failed = await get(key, `/v1/campaigns/${id}/deliveries?status=failed`).expect(200);
    expect(failed.body.data).toEqual([
      expect.objectContaining({
        email: '"no reply"@three.example.com',
        status: 'failed',
        attempts: 1,
        lastError: `personalizations.${index}.to.0.email: does not contain a valid address`,
      }),
    ]);
    const mails = receivedFor(id);
    expect(mails).toHaveLength(1_200);
    expect(countsByAddress(mails).size).toBe(1_200);
    expect(mails.some((m) => m.to.email.startsWith('"'))).toBe(false);

    const before = requestsFor(id).length;
    const retried = await post(key, `/v1/campaigns/${id}/retry-failed`, {}).expect(202);
    expect(retried.body.requeued).toBe(1);
    const again = await campaignIn(key, id, 'sent');

    expect(again.stats).toMatchObject({ total: 1_201, sent: 1_200, failed: 1, pending: 0 });
    expect(
      requestsFor(id)
        .slice(before)
        .map((r) => r.status),
    ).toEqual([400]);
    const failedAgain = await get(key, `/v1/campaigns/${id}/deliveries?status=failed`).expect(200);
    expect(failedAgain.body.data).toEqual([
      expect.objectContaining({
        email: '"no reply"@three.example.com',
        attempts: 1,
        lastError: 'personalizations.0.to.0.email: does not contain a valid address',
      }),
    ]);
    expect(receivedFor(id)).toHaveLength(1_200);
  });

  it('pauses on a 401 without failing anyone, and resume then delivers everyone once', async () => {
    const { key } = await orgWithContacts(2_100, 'four.example.com');
    standIn.failEveryRequest(SendGridStandIn.unauthorized());

    const id = await sendCampaign(key);
    const paused = await campaignIn(key, id, 'paused');

    expect(paused.statusReason).toBe(
      'provider refused credentials: SendGrid answered 401: ' +
        'The provided authorization grant is invalid, expired, or revoked',
    );
    expect(requestsFor(id).length).toBeGreaterThan(0);
    expect(requestsFor(id).every((r) => r.status === 401)).toBe(true);
    expect(paused.stats).toMatchObject({ total: 2_100, pending: 2_100, sent: 0, failed: 0 });
    expect(await deliveriesOf(key, id, 'failed')).toEqual([]);
    expect(receivedFor(id)).toEqual([]);

    standIn.stopFailing();
    const resumed = await post(key, `/v1/campaigns/${id}/resume`, {}).expect(202);
    expect(resumed.body).toMatchObject({ status: 'sending', statusReason: null });
    const done = await campaignIn(key, id, 'sent');

    expect(done.stats).toMatchObject({ total: 2_100, sent: 2_100, failed: 0, pending: 0 });
    const deliveries = await deliveriesOf(key, id);
    expectOnePerContact(receivedFor(id), deliveries);
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
  });

  it('a timed-out request that SendGrid accepted is sent again: SendGrid offers no idempotency key, so its recipients get it twice', async () => {
    const { key } = await orgWithContacts(10, 'five.example.com');
    standIn.slowNext(REQUEST_TIMEOUT_MS + 1_000);

    const id = await sendCampaign(key);
    const done = await campaignIn(key, id, 'sent');

    expect(done.stats).toMatchObject({ total: 10, sent: 10, failed: 0, pending: 0 });
    const deliveries = await deliveriesOf(key, id);
    const mails = receivedFor(id);
    expect([...countsByAddress(mails).values()]).toEqual(Array(10).fill(2));
    for (const d of deliveries) {
      const copies = mails.filter((m) => m.to.email === d.email);
      expect(copies.map((m) => m.customArgs.delivery_id)).toEqual([d.id, d.id]);
      expect(d).toMatchObject({ status: 'sent', attempts: 2 });
      expect(d.providerMessageId).toBe(copies[1].messageId);
    }
  });

  it('sends a reminder through SendGrid once, scoped with org_id and delivery_id', async () => {
    const { key, orgId } = await orgWithContacts(1, 'six.example.com');
    const { data } = (await get(key, '/v1/contacts').expect(200)).body as {
      data: { id: string }[];
    };

    const created = await post(key, '/v1/messages', {
      contactId: data[0].id,
      from: { email: 'reminders@acme.example.com' },
      subject: 'Your {{ attributes.plan }} trial ends soon',
      html: '<p>{{ firstName | default: "there" }}, three days left.</p>',
    }).expect(202);
    const outcome = await eventually(async () => {
      const res = await get(key, `/v1/messages/${created.body.id}`).expect(200);
      return res.body.status === 'sent' ? res.body : undefined;
    }, 'reminder sent');

    const mails = standIn.receivedBy('c0@six.example.com');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).toBe('Your Gold & <Platinum> trial ends soon');
    expect(mail.html).toBe('<p>there, three days left.</p>');
    expect(mail.customArgs).toEqual({
      org_id: orgId,
      delivery_id: deliveryIdInToken(mail.headers['List-Unsubscribe']),
    });
    expect(outcome).toMatchObject({
      provider: 'sendgrid',
      attempts: 1,
      providerMessageId: mail.messageId,
    });
  });
});
