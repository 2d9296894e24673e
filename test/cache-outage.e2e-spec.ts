import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Cache, createCache } from 'cache-manager';
import { PinoLogger } from 'nestjs-pino';
import { redisKeyv } from '../src/cache/cache.module';
import { AppConfig } from '../src/config/app-config';
import { startCacheTestApp } from './support/cache-test-app';
import { PrivateRedisServer } from './support/cache-redis-server';
import { bearer, TestApp } from './support/test-app';

/** No request may wait on a broken cache; a request taking this long counts as hung. */
const HUNG_MS = 1_000;

describe('HTTP cache when Redis stops (private redis-server)', () => {
  let server: PrivateRedisServer;
  let cache: Cache;
  let t: TestApp;
  let org: { orgId: string; apiKey: string };
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    server = await PrivateRedisServer.start();
    warn = jest.spyOn(PinoLogger.prototype, 'warn');
    t = await startCacheTestApp((builder) =>
      builder.overrideProvider(CACHE_MANAGER).useFactory({
        inject: [AppConfig],
        factory: (config: AppConfig) => {
          cache = createCache({ stores: [redisKeyv(server.url, config.cacheNamespace)] });

          return cache;
        },
      }),
    );
    org = await t.createOrg('Acme');
  });

  afterAll(async () => {
    await t?.close();
    await cache?.disconnect().catch(() => undefined);
    await server?.stop();
    warn?.mockRestore();
  });

  const get = (path: string) =>
    t.http
      .get(path)
      .set(...bearer(org.apiKey))
      .timeout(HUNG_MS);
  const cacheErrors = () =>
    warn.mock.calls.filter(([fields]) => (fields as { event?: string }).event === 'cache.error');

  async function until(
    path: string,
    accept: (res: { headers: Record<string, string> }) => boolean,
  ) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await get(path).expect(200);
      if (accept(res) || Date.now() > deadline) return res;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('Redis stopped mid-test: no request fails or hangs, and nothing stale is served after', async () => {
    const created = await t.http
      .post('/v1/contacts')
      .set(...bearer(org.apiKey))
      .send({ email: 'ann@example.com', firstName: 'Ann' })
      .expect(201);
    const id = created.body.id as string;
    await get('/v1/contacts').expect(200);
    expect((await get('/v1/contacts').expect(200)).headers['x-cache']).toBe('HIT');
    await server.save();

    await server.kill();
    const during = await Promise.all(Array.from({ length: 25 }, () => get('/v1/contacts')));
    await t.http
      .patch(`/v1/contacts/${id}`)
      .set(...bearer(org.apiKey))
      .send({ firstName: 'Anna' })
      .timeout(HUNG_MS)
      .expect(200);
    const afterWrite = await get('/v1/contacts').expect(200);

    expect(during.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(during.every((r) => r.headers['x-cache'] === 'BYPASS')).toBe(true);
    expect(during[0].headers['x-cache-reason']).toBe('store-unavailable');
    expect(afterWrite.body.data[0].firstName).toBe('Anna');
    expect(cacheErrors().length).toBeGreaterThanOrEqual(1);
    expect(cacheErrors().length).toBeLessThanOrEqual(2);

    // Back with the data saved before the outage, stale list entry included.
    await server.restart();
    const back = await until('/v1/contacts', (res) => res.headers['x-cache'] !== 'BYPASS');
    const hit = await get('/v1/contacts').expect(200);

    expect(back.headers['x-cache']).toBe('MISS');
    expect(back.body.data[0].firstName).toBe('Anna');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body.data[0].firstName).toBe('Anna');
  });

  it('Redis frozen mid-test: requests are answered after the timeout, then the cache recovers', async () => {
    await get('/test/cache/counted').expect(200);
    expect((await get('/test/cache/counted').expect(200)).headers['x-cache']).toBe('HIT');

    server.freeze();
    const during = await Promise.all(Array.from({ length: 10 }, () => get('/test/cache/counted')));
    server.thaw();

    expect(during.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(during.every((r) => r.headers['x-cache'] === 'BYPASS')).toBe(true);
    const recovered = await until('/test/cache/counted', (res) => res.headers['x-cache'] === 'HIT');
    expect(recovered.headers['x-cache']).toBe('HIT');
  });
});
