import { bearer, startTestApp, TestApp } from './support/test-app';

describe('tenancy (HTTP)', () => {
  let t: TestApp;
  let acme: { orgId: string; apiKey: string };
  let globex: { orgId: string; apiKey: string };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.createOrg('Acme');
    globex = await t.createOrg('Globex');
  });

  afterAll(() => t.close());

  it('creates an org only with the admin token', async () => {
    await t.http.post('/v1/orgs').send({ name: 'Nobody' }).expect(401);
    await t.http
      .post('/v1/orgs')
      .set(...bearer('wrong-token'))
      .send({ name: 'Nobody' })
      .expect(401);
  });

  it('answers 401 to a tenant route without a key or with a wrong key', async () => {
    await t.http.get('/v1/contacts').expect(401);
    const res = await t.http
      .get('/v1/contacts')
      .set(...bearer('cm_not-a-key'))
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it("never shows or changes another org's contact", async () => {
    const created = await t.http
      .post('/v1/contacts')
      .set(...bearer(acme.apiKey))
      .send({ email: 'ann@example.com', firstName: 'Ann' })
      .expect(201);
    const id = created.body.id as string;

    const list = await t.http
      .get('/v1/contacts')
      .set(...bearer(globex.apiKey))
      .expect(200);
    expect(list.body.data).toEqual([]);
    await t.http
      .get(`/v1/contacts/${id}`)
      .set(...bearer(globex.apiKey))
      .expect(404);
    await t.http
      .patch(`/v1/contacts/${id}`)
      .set(...bearer(globex.apiKey))
      .send({ firstName: 'Mallory' })
      .expect(404);
    await t.http
      .delete(`/v1/contacts/${id}`)
      .set(...bearer(globex.apiKey))
      .expect(404);

    const own = await t.http
      .get(`/v1/contacts/${id}`)
      .set(...bearer(acme.apiKey))
      .expect(200);
    expect(own.body.firstName).toBe('Ann');
  });

  it('keeps the same email apart in two orgs', async () => {
    await t.http
      .post('/v1/contacts')
      .set(...bearer(globex.apiKey))
      .send({ email: 'ANN@example.com', firstName: 'Other Ann' })
      .expect(201);

    const acmeAnn = await t.http
      .get('/v1/contacts')
      .set(...bearer(acme.apiKey))
      .expect(200);
    expect(acmeAnn.body.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Ann']);
  });
});
