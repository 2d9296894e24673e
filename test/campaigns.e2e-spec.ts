import { bearer, startTestApp, TestApp } from './support/test-app';

describe('campaigns (HTTP)', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;

  const draft = {
    name: 'Spring sale',
    subject: 'Hi {{ firstName | default: "there" }}',
    html: '<p>{{ attributes.plan }}</p>',
    from: { email: 'news@acme.test', name: 'Acme' },
  };

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.createOrg()).apiKey;
    otherKey = (await t.createOrg()).apiKey;
  });

  afterAll(() => t.close());

  const create = (body: object, apiKey = key) =>
    t.http
      .post('/v1/campaigns')
      .set(...bearer(apiKey))
      .send(body);

  it('creates a draft with zero stats and reads it back', async () => {
    const res = await create({ ...draft, audience: { tags: ['vip'] } }).expect(201);

    expect(res.body).toMatchObject({
      name: 'Spring sale',
      status: 'draft',
      audience: { tags: ['vip'] },
      from: { email: 'news@acme.test', name: 'Acme' },
      stats: { total: 0, pending: 0, sent: 0, failed: 0, skipped: 0 },
    });
    const read = await t.http
      .get(`/v1/campaigns/${res.body.id}`)
      .set(...bearer(key))
      .expect(200);
    expect(read.body.id).toBe(res.body.id);
  });

  it('rejects a template that does not parse, naming the field and the problem', async () => {
    const res = await create({ ...draft, html: '<p>{% if firstName %}unclosed</p>' }).expect(400);

    expect(res.body.details).toHaveLength(1);
    expect(res.body.details[0].field).toBe('html');
    expect(res.body.details[0].reason).toMatch(/^template does not parse: .*if/);
  });

  it('rejects unknown fields and a bad sender, naming each', async () => {
    const res = await create({ ...draft, from: { email: 'nope' }, colour: 'red' }).expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();

    expect(fields).toEqual(['colour', 'from.email']);
  });

  it('updates a draft, and refuses a template error on update too', async () => {
    const { body } = await create(draft).expect(201);
    const path = `/v1/campaigns/${body.id}`;

    const updated = await t.http
      .patch(path)
      .set(...bearer(key))
      .send({ subject: 'New' })
      .expect(200);
    expect(updated.body.subject).toBe('New');
    const bad = await t.http
      .patch(path)
      .set(...bearer(key))
      .send({ text: '{{ x | nofilter }}' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('text');
  });

  it('refuses to change or delete a campaign once it is sending', async () => {
    const { body } = await create(draft).expect(201);
    const path = `/v1/campaigns/${body.id}`;
    await t.http
      .post(`${path}/send`)
      .set(...bearer(key))
      .send({})
      .expect(202);

    await t.http
      .patch(path)
      .set(...bearer(key))
      .send({ subject: 'Late' })
      .expect(409);
    await t.http
      .delete(path)
      .set(...bearer(key))
      .expect(409);
  });

  it('deletes a draft', async () => {
    const { body } = await create(draft).expect(201);
    await t.http
      .delete(`/v1/campaigns/${body.id}`)
      .set(...bearer(key))
      .expect(204);
    await t.http
      .get(`/v1/campaigns/${body.id}`)
      .set(...bearer(key))
      .expect(404);
  });

  it('pages through campaigns with a cursor', async () => {
    const fresh = (await t.createOrg()).apiKey;
    for (const name of ['a', 'b', 'c']) await create({ ...draft, name }, fresh).expect(201);

    const first = await t.http
      .get('/v1/campaigns?limit=2')
      .set(...bearer(fresh))
      .expect(200);
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
    const next = await t.http
      .get(`/v1/campaigns?limit=2&cursor=${first.body.nextCursor}`)
      .set(...bearer(fresh))
      .expect(200);
    expect(next.body).toMatchObject({ data: [{ name: 'c' }], nextCursor: null });
  });

  it("answers 404 for another org's campaign on every route", async () => {
    const { body } = await create(draft).expect(201);
    const path = `/v1/campaigns/${body.id}`;

    await t.http
      .get(path)
      .set(...bearer(otherKey))
      .expect(404);
    await t.http
      .patch(path)
      .set(...bearer(otherKey))
      .send({ name: 'x' })
      .expect(404);
    await t.http
      .delete(path)
      .set(...bearer(otherKey))
      .expect(404);
    await t.http
      .post(`${path}/preview`)
      .set(...bearer(otherKey))
      .send({ contactId: 'x' })
      .expect(404);
    const mine = await t.http
      .get(path)
      .set(...bearer(key))
      .expect(200);
    expect(mine.body.name).toBe('Spring sale');
  });

  it('refuses a reminder with both a contact and an address', async () => {
    const res = await t.http
      .post('/v1/messages')
      .set(...bearer(key))
      .send({ contactId: 'c', to: { email: 'a@example.com' }, ...draft, name: undefined })
      .expect(400);

    expect(res.body.details).toEqual([
      { field: 'to', reason: 'give either contactId or to, not both' },
    ]);
  });
});
