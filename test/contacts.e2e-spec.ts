import { bearer, startTestApp, TestApp } from './support/test-app';

interface Problem {
  field: string;
  reason: string;
}

describe('contacts (HTTP)', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
  });

  // A fresh org per test keeps listings and upserts independent of each other.
  beforeEach(async () => {
    key = (await t.createOrg()).apiKey;
  });

  afterAll(() => t.close());

  const post = (body: unknown) =>
    t.http
      .post('/v1/contacts')
      .set(...bearer(key))
      .send(body as object);
  const get = (path: string) => t.http.get(path).set(...bearer(key));
  const fields = (details: Problem[]) => details.map((d) => d.field);

  describe('POST /v1/contacts (one)', () => {
    it('creates with 201, then updates the same email in other case with 200', async () => {
      const created = await post({ email: 'ann@example.com', firstName: 'Ann' }).expect(201);
      const updated = await post({ email: 'ANN@example.com', lastName: 'Lee' }).expect(200);

      expect(updated.body).toMatchObject({
        id: created.body.id,
        email: 'ANN@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
      });
    });

    it('rejects an unknown field with 400 naming it', async () => {
      const res = await post({ email: 'ann@example.com', nickname: 'A' }).expect(400);

      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details).toContainEqual({ field: 'nickname', reason: 'should not exist' });
    });

    it.each([
      ['a nested object', { plan: { name: 'pro' } }],
      ['an array value', { seats: [1, 2] }],
      ['an array', ['pro']],
      ['a null value', { plan: null }],
      ['a key that is not an identifier', { 'has space': 1 }],
    ])('rejects attributes holding %s with 400 naming attributes', async (_label, attributes) => {
      const res = await post({ email: 'ann@example.com', attributes }).expect(400);

      expect(fields(res.body.details)).toEqual(['attributes']);
    });

    it('rejects a missing or invalid email naming email', async () => {
      const missing = await post({ firstName: 'Ann' }).expect(400);
      const invalid = await post({ email: 'not-an-email' }).expect(400);

      expect(fields(missing.body.details)).toContain('email');
      expect(invalid.body.details).toContainEqual({
        field: 'email',
        reason: 'must be a valid email address',
      });
    });

    it('answers 400, not 500, to a body that is not an object', async () => {
      const res = await post([{ email: 'ann@example.com' }]).expect(400);

      expect(res.body.statusCode).toBe(400);
    });
  });

  describe('POST /v1/contacts (bulk)', () => {
    it('saves the valid rows and lists each rejected row with its index and reason', async () => {
      const res = await post({
        contacts: [
          { email: 'one@example.com', tags: ['a'] },
          { email: 'broken' },
          { email: 'two@example.com', attributes: { plan: 'pro' } },
          { email: 'three@example.com', extra: true },
          null,
        ],
      }).expect(200);

      expect(res.body).toMatchObject({ created: 2, updated: 0 });
      expect(res.body.contacts.map((c: { index: number }) => c.index)).toEqual([0, 2]);
      expect(res.body.rejected).toEqual([
        { index: 1, details: [{ field: 'email', reason: 'must be a valid email address' }] },
        { index: 3, details: [{ field: 'extra', reason: 'should not exist' }] },
        { index: 4, details: [expect.objectContaining({ reason: 'must be a contact object' })] },
      ]);
      const list = await get('/v1/contacts').expect(200);
      expect(list.body.data.map((c: { email: string }) => c.email).sort()).toEqual([
        'one@example.com',
        'two@example.com',
      ]);
    });

    it('counts a second row with the same email as an update of the first', async () => {
      const res = await post({
        contacts: [
          { email: 'dup@example.com', firstName: 'First', tags: ['t'] },
          { email: 'DUP@example.com', lastName: 'Last' },
        ],
      }).expect(200);

      expect(res.body.created).toBe(1);
      expect(res.body.contacts[0].id).toBe(res.body.contacts[1].id);
      const one = await get(`/v1/contacts/${res.body.contacts[0].id}`).expect(200);
      expect(one.body).toMatchObject({ firstName: 'First', lastName: 'Last', tags: ['t'] });
    });

    it('accepts 10,000 rows in one request', async () => {
      const contacts = Array.from({ length: 10_000 }, (_, i) => ({ email: `c${i}@example.com` }));

      const res = await post({ contacts }).expect(200);

      expect(res.body).toMatchObject({ created: 10_000, updated: 0, rejected: [] });
    });

    it('rejects 10,001 rows with 400 naming contacts', async () => {
      const contacts = Array.from({ length: 10_001 }, (_, i) => ({ email: `c${i}@example.com` }));

      const res = await post({ contacts }).expect(400);

      expect(fields(res.body.details)).toEqual(['contacts']);
      expect((await get('/v1/contacts').expect(200)).body.data).toEqual([]);
    });

    it('rejects an empty list or one that is not an array, naming contacts', async () => {
      const empty = await post({ contacts: [] }).expect(400);
      const notArray = await post({ contacts: 'everyone' }).expect(400);

      expect(fields(empty.body.details)).toEqual(['contacts']);
      expect(fields(notArray.body.details)).toEqual(['contacts']);
    });
  });

  describe('GET /v1/contacts', () => {
    it('walks every contact once, in creation order, by following nextCursor', async () => {
      const emails = Array.from({ length: 5 }, (_, i) => `p${i}@example.com`);
      for (const email of emails) await post({ email }).expect(201);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const res = await get(`/v1/contacts${query}`).expect(200);
        seen.push(...res.body.data.map((c: { email: string }) => c.email));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);

      expect(seen).toEqual(emails);
      expect(pages).toBe(3);
    });

    it('filters by tag', async () => {
      await post({
        contacts: [{ email: 'x@example.com', tags: ['vip'] }, { email: 'y@example.com' }],
      });

      const res = await get('/v1/contacts?tag=vip').expect(200);

      expect(res.body.data.map((c: { email: string }) => c.email)).toEqual(['x@example.com']);
    });

    it.each([
      ['a cursor it did not issue', '?cursor=bogus', 'cursor'],
      ['a limit above the maximum', '?limit=201', 'limit'],
      ['a limit that is not a number', '?limit=ten', 'limit'],
      ['an unknown parameter', '?sort=email', 'sort'],
    ])('answers 400 to %s, naming the parameter', async (_label, query, field) => {
      const res = await get(`/v1/contacts${query}`).expect(400);

      expect(fields(res.body.details)).toContain(field);
    });
  });

  describe('PATCH and DELETE /v1/contacts/:id', () => {
    it('changes only the given fields, clears a field set to null, and replaces tags', async () => {
      const { body: c } = await post({
        email: 'pat@example.com',
        firstName: 'Pat',
        lastName: 'Doe',
        tags: ['a'],
      }).expect(201);

      const res = await t.http
        .patch(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .send({ lastName: null, tags: ['b', 'c'], attributes: { plan: 'pro' } })
        .expect(200);

      expect(res.body).toMatchObject({
        email: 'pat@example.com',
        firstName: 'Pat',
        lastName: null,
        tags: ['b', 'c'],
        attributes: { plan: 'pro' },
      });
    });

    it('answers 409 when the new email belongs to another contact', async () => {
      await post({ email: 'taken@example.com' }).expect(201);
      const { body: c } = await post({ email: 'free@example.com' }).expect(201);

      await t.http
        .patch(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .send({ email: 'TAKEN@example.com' })
        .expect(409);
    });

    it('rejects an unknown field on PATCH naming it', async () => {
      const { body: c } = await post({ email: 'pat@example.com' }).expect(201);

      const res = await t.http
        .patch(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .send({ phone: '123' })
        .expect(400);

      expect(fields(res.body.details)).toEqual(['phone']);
    });

    it('deletes with 204, after which the contact is 404 everywhere', async () => {
      const { body: c } = await post({ email: 'gone@example.com' }).expect(201);

      await t.http
        .delete(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .expect(204);

      await get(`/v1/contacts/${c.id}`).expect(404);
      await t.http
        .delete(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .expect(404);
      await t.http
        .patch(`/v1/contacts/${c.id}`)
        .set(...bearer(key))
        .send({ firstName: 'X' })
        .expect(404);
    });

    it('answers 404 in the error shape for an id that is not even a uuid', async () => {
      const res = await get('/v1/contacts/not-an-id').expect(404);

      expect(res.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Contact not found',
        requestId: expect.any(String),
      });
    });
  });

  describe('error shape', () => {
    it('answers malformed JSON with 400 in the error shape', async () => {
      const res = await t.http
        .post('/v1/contacts')
        .set(...bearer(key))
        .set('Content-Type', 'application/json')
        .send('{"email": "ann@example.com",')
        .expect(400);

      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request body is not valid JSON',
        requestId: expect.any(String),
      });
    });

    it('answers a body over the limit with 413 in the error shape', async () => {
      const huge = JSON.stringify({
        contacts: [{ email: 'a@example.com', firstName: 'x'.repeat(11 * 1024 * 1024) }],
      });

      const res = await t.http
        .post('/v1/contacts')
        .set(...bearer(key))
        .set('Content-Type', 'application/json')
        .send(huge)
        .expect(413);

      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });

    it.each([
      ['an unsupported charset', 'application/json; charset=klingon', '{}', ''],
      ['an unsupported content encoding', 'application/json', '{}', 'br-unknown'],
    ])('answers %s with a 4xx whose error text matches its status', async (_l, type, body, enc) => {
      let req = t.http
        .post('/v1/contacts')
        .set(...bearer(key))
        .set('Content-Type', type);
      if (enc) req = req.set('Content-Encoding', enc);

      const res = await req.send(body);

      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    });
  });
});
