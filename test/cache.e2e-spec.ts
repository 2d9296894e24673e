import Redis from 'ioredis';
import { AppConfig } from '../src/config/app-config';
import { CacheCounters } from '../src/cache/cache-counters';
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
    const keys = await redis.keys(`${namespace}::*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await t.close();
  });

  beforeEach(async () => {
    for (const route of Object.keys(handlerCalls)) delete handlerCalls[route];
    const keys = await redis.keys(`${namespace}::*`);
    if (keys.length > 0) await redis.del(...keys);
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
});
