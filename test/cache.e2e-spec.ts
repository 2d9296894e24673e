import Redis from 'ioredis';
import { CacheCounters } from '../src/cache/cache-counters';
import { AppConfig } from '../src/config/app-config';
import { startCacheTestApp } from './support/cache-test-app';
import { handlerCalls } from './support/cache-test-routes';
import { bearer, TestApp } from './support/test-app';

describe('HTTP cache (HTTP, real Redis)', () => {
  let t: TestApp;
  let redis: Redis;
  let namespace: string;
  let acme: { orgId: string; apiKey: string };
  let globex: { orgId: string; apiKey: string };

  beforeAll(async () => {
    t = await startCacheTestApp();
    const config = t.app.get(AppConfig);
    redis = new Redis(config.redisUrl);
    namespace = config.cacheNamespace;
    acme = await t.createOrg('Acme');
    globex = await t.createOrg('Globex');
  });

  afterAll(async () => {
    await clearNamespace();
    await redis?.quit();
    await t?.close();
  });

  async function clearNamespace(): Promise<void> {
    const keys = (await redis?.keys(`${namespace}::*`)) ?? [];
    if (keys.length > 0) await redis.del(...keys);
  }

  beforeEach(async () => {
    for (const route of Object.keys(handlerCalls)) delete handlerCalls[route];
    await clearNamespace();
  });

  const entryKeys = () => redis.keys(`${namespace}::e:*`);
  const get = (path: string, key = acme.apiKey) => t.http.get(path).set(...bearer(key));

  it('the cache miss populates the store', async () => {
    expect(await entryKeys()).toHaveLength(0);

    const res = await get('/test/cache/counted').expect(200);

    expect(res.headers['x-cache']).toBe('MISS');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(await entryKeys()).toHaveLength(1);
    expect(handlerCalls.counted).toBe(1);
  });

  it('the cache hit returns the cached response', async () => {
    const miss = await get('/test/cache/counted').expect(200);
    const hit = await get('/test/cache/counted').expect(200);

    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    for (const name of ['content-type', 'etag', 'vary', 'content-length']) {
      expect(hit.headers[name]).toBe(miss.headers[name]);
    }
    expect(Number(hit.headers.age)).toBeGreaterThanOrEqual(0);
    expect(handlerCalls.counted).toBe(1);
  });

  it('serves HEAD from the GET entry, with the same headers and no body', async () => {
    const miss = await get('/test/cache/counted').expect(200);
    const head = await t.http
      .head('/test/cache/counted')
      .set(...bearer(acme.apiKey))
      .expect(200);

    expect(head.headers['x-cache']).toBe('HIT');
    expect(head.headers.etag).toBe(miss.headers.etag);
    expect(head.text).toBeUndefined();
    expect(handlerCalls.counted).toBe(1);
  });

  it('the bypass header disables the cache: nothing read, nothing written', async () => {
    await get('/test/cache/counted').expect(200);
    const before = await entryKeys();

    const res = await get('/test/cache/counted').set('Cache-Control', 'no-store').expect(200);

    expect(res.headers['x-cache']).toBe('BYPASS');
    expect(res.headers['x-cache-reason']).toBe('request-no-store');
    expect(res.body.call).toBe(2);
    expect(await entryKeys()).toEqual(before);

    const empty = await get('/test/cache/counted?fresh=1').set('Cache-Control', 'no-store');
    expect(empty.headers['x-cache']).toBe('BYPASS');
    expect(await entryKeys()).toEqual(before);
  });

  it('a no-cache request is served by the handler and refreshes the stored entry', async () => {
    await get('/test/cache/counted').expect(200);

    const fresh = await get('/test/cache/counted').set('Cache-Control', 'no-cache').expect(200);
    const pragma = await get('/test/cache/counted').set('Pragma', 'no-cache').expect(200);
    const hit = await get('/test/cache/counted').expect(200);

    expect(fresh.body.call).toBe(2);
    expect(fresh.headers['x-cache']).toBe('MISS');
    expect(pragma.body.call).toBe(3);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.call).toBe(3);
  });

  it.each(['post', 'put', 'patch', 'delete'] as const)(
    '%s requests are not cached, even with a cache key on the route',
    async (method) => {
      for (let i = 1; i <= 3; i++) {
        const res = await t.http[method]('/test/cache/counted').set(...bearer(acme.apiKey));

        expect(res.status).toBeLessThan(300);
        expect(res.body.call).toBe(i);
        expect(res.headers['x-cache']).toBe('BYPASS');
        expect(res.headers['x-cache-reason']).toBe('method');
      }
      expect(await entryKeys()).toHaveLength(0);
    },
  );

  it.each([
    ['private', 'response-private'],
    ['no-store', 'response-no-store'],
    ['cookie', 'response-sets-cookie'],
  ])('a %s response is not stored', async (route, reason) => {
    const first = await get(`/test/cache/${route}`).expect(200);
    const second = await get(`/test/cache/${route}`).expect(200);

    expect(first.headers['x-cache']).toBe('BYPASS');
    expect(first.headers['x-cache-reason']).toBe(reason);
    expect(second.body.call).toBe(2);
    expect(await entryKeys()).toHaveLength(0);
  });

  it('an error response is not stored', async () => {
    await get('/test/cache/missing').expect(404);
    await get('/test/cache/missing').expect(404);

    expect(handlerCalls.missing).toBe(2);
    expect(await entryKeys()).toHaveLength(0);
  });

  it('two orgs requesting the same URL never share an entry', async () => {
    const acmeFirst = await get('/test/cache/counted').expect(200);
    const globexFirst = await get('/test/cache/counted', globex.apiKey).expect(200);
    const acmeHit = await get('/test/cache/counted').expect(200);
    const globexHit = await get('/test/cache/counted', globex.apiKey).expect(200);

    expect(globexFirst.headers['x-cache']).toBe('MISS');
    expect(acmeHit.body).toEqual(acmeFirst.body);
    expect(acmeHit.body.org).toBe('Acme');
    expect(globexHit.body.org).toBe('Globex');
    expect(globexHit.headers['x-cache']).toBe('HIT');
    expect(await entryKeys()).toHaveLength(2);
  });

  it('keys by the sorted query string and by the headers the route varies on', async () => {
    await get('/test/cache/counted?b=2&a=1').expect(200);
    const sorted = await get('/test/cache/counted?a=1&b=2').expect(200);
    const other = await get('/test/cache/counted?a=1&b=3').expect(200);
    expect(sorted.headers['x-cache']).toBe('HIT');
    expect(other.headers['x-cache']).toBe('MISS');

    const en = await get('/test/cache/language').set('Accept-Language', 'en').expect(200);
    const fr = await get('/test/cache/language').set('Accept-Language', 'fr').expect(200);
    const enAgain = await get('/test/cache/language').set('Accept-Language', 'en').expect(200);
    expect(en.headers.vary).toBe('accept-language, authorization');
    expect(fr.headers['x-cache']).toBe('MISS');
    expect(enAgain.headers['x-cache']).toBe('HIT');
    expect(enAgain.body).toEqual(en.body);
  });

  it('answers 304 to a matching If-None-Match on a miss and on a hit', async () => {
    const { etag } = (await get('/test/cache/counted').expect(200)).headers;
    await redis.del(...(await entryKeys()));
    // The handler's body carries its call number: rewind it so the next miss renders the same bytes.
    handlerCalls.counted = 0;

    const onMiss = await get('/test/cache/counted').set('If-None-Match', etag).expect(304);
    const onHit = await get('/test/cache/counted').set('If-None-Match', etag).expect(304);
    const changed = await get('/test/cache/counted').set('If-None-Match', '"other"').expect(200);

    expect(onMiss.headers['x-cache']).toBe('MISS');
    expect(onMiss.text).toBe('');
    expect(onHit.headers['x-cache']).toBe('HIT');
    expect(onHit.headers.etag).toBe(etag);
    expect(changed.headers['x-cache']).toBe('HIT');
    expect(handlerCalls.counted).toBe(1);
  });

  it('runs the handler once for concurrent misses on one key', async () => {
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => get('/test/cache/counted?delayMs=150')),
    );

    expect(handlerCalls.counted).toBe(1);
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
  });

  it('invalidation after a write: PATCH a contact, then the item and the list show the change', async () => {
    const created = await t.http
      .post('/v1/contacts')
      .set(...bearer(acme.apiKey))
      .send({ email: 'ann@example.com', firstName: 'Ann' })
      .expect(201);
    const id = created.body.id as string;
    await get(`/v1/contacts/${id}`).expect(200);
    await get('/v1/contacts').expect(200);
    expect((await get(`/v1/contacts/${id}`)).headers['x-cache']).toBe('HIT');
    expect((await get('/v1/contacts')).headers['x-cache']).toBe('HIT');

    await t.http
      .patch(`/v1/contacts/${id}`)
      .set(...bearer(acme.apiKey))
      .send({ firstName: 'Anna' })
      .expect(200);

    const item = await get(`/v1/contacts/${id}`).expect(200);
    const list = await get('/v1/contacts').expect(200);
    expect(item.headers['x-cache']).toBe('MISS');
    expect(item.body.firstName).toBe('Anna');
    expect(list.body.data.map((c: { firstName: string }) => c.firstName)).toEqual(['Anna']);
  });

  it("a write retires only its own org's entries", async () => {
    await get('/v1/contacts').expect(200);
    await get('/v1/contacts', globex.apiKey).expect(200);

    await t.http
      .post('/v1/contacts')
      .set(...bearer(acme.apiKey))
      .send({ email: 'bob@example.com' })
      .expect(201);

    expect((await get('/v1/contacts')).headers['x-cache']).toBe('MISS');
    expect((await get('/v1/contacts', globex.apiKey)).headers['x-cache']).toBe('HIT');
  });

  it('a refused write (400) leaves the cache alone', async () => {
    await get('/v1/contacts').expect(200);

    await t.http
      .post('/v1/contacts')
      .set(...bearer(acme.apiKey))
      .send({ email: 'not-an-email' })
      .expect(400);

    expect((await get('/v1/contacts')).headers['x-cache']).toBe('HIT');
  });

  it('counts hits, misses and bypasses for metrics', async () => {
    const counters = t.app.get(CacheCounters);
    const before = counters.snapshot();

    await get('/test/cache/counted').expect(200);
    await get('/test/cache/counted').expect(200);
    await get('/test/cache/counted').set('Cache-Control', 'no-store').expect(200);

    const after = counters.snapshot();
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
    expect(after.bypass - before.bypass).toBe(1);
    expect(after.bypassByReason['request-no-store']).toBe(
      (before.bypassByReason['request-no-store'] ?? 0) + 1,
    );
  });
});
