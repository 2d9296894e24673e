/**
 * HTTP cache benchmark: a cache hit, a cache miss (handler run and entry stored) and a bare
 * route serving the same bytes without the cache, all behind the same API key guard.
 *
 *   node -r @swc-node/register bench/cache-bench.ts         # 10 s per case, 10 connections
 *   BENCH_DURATION=20 BENCH_CONNECTIONS=50 node -r @swc-node/register bench/cache-bench.ts
 *
 * The service runs in a child process so autocannon does not share its event loop. Needs Redis
 * at REDIS_URL (default 127.0.0.1:6379); uses a namespace of its own and clears it.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const run = `cm-bench-${process.pid}${randomBytes(3).toString('hex')}`;
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = 'silent';
process.env.APP_ROLE = 'api';
process.env.DATABASE_URL = ':memory:';
process.env.CACHE_NAMESPACE = run;
process.env.QUEUE_PREFIX = run;

import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Controller, Get, INestApplication, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Cache } from 'cache-manager';
import Redis from 'ioredis';
import { AppModule } from '../src/app.module';
import { configureHttpApp } from '../src/app.setup';
import { OrgApiKeyGuard } from '../src/auth/org-api-key.guard';
import { Cached } from '../src/cache/cache.decorators';
import { AppConfig } from '../src/config/app-config';
import { OrgsModule } from '../src/orgs/orgs.module';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}
// autocannon ships no type declarations; this is the slice used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: object) => Promise<AutocannonResult>;

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUND_TRIPS = 2_000;

// A list page of 50 contacts: about 12 KB of JSON, like GET /v1/contacts.
const PAGE = {
  data: Array.from({ length: 50 }, (_, i) => ({
    id: `0190a8c2-${String(i).padStart(4, '0')}-7000-8000-000000000000`,
    email: `person${i}@example.com`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    attributes: { plan: 'pro', city: 'Lisbon', score: i },
    tags: ['newsletter', 'beta'],
    status: 'subscribed',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  })),
  nextCursor: null,
};

@Controller('bench')
@UseGuards(OrgApiKeyGuard)
class BenchController {
  @Get('bare')
  bare(): object {
    return PAGE;
  }

  @Get('cached')
  @Cached('bench')
  cached(): object {
    return PAGE;
  }
}

@Module({ imports: [OrgsModule], controllers: [BenchController] })
class BenchRoutesModule {}

@Module({ imports: [AppModule.register(), BenchRoutesModule] })
class BenchModule {}

interface Ready {
  url: string;
  apiKey: string;
  redis: string;
}

/** The child: the whole service plus the bench routes, reporting where it listens. */
async function serve(): Promise<void> {
  const app = await NestFactory.create(BenchModule, { bodyParser: false, logger: false });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const redis = await roundTrips(app.get<Cache>(CACHE_MANAGER));

  process.send?.({ url, apiKey: await createOrgKey(url, app), redis } satisfies Ready);
  process.once('message', async () => {
    await clearNamespace(app.get(AppConfig));
    await app.close();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv });
  const { url, apiKey, redis } = await new Promise<Ready>((resolve) =>
    child.once('message', resolve),
  );
  const auth = { authorization: `Bearer ${apiKey}` };

  const bytes = (await (await fetch(`${url}/bench/bare`, { headers: auth })).text()).length;
  console.log(`body: ${bytes} bytes; ${DURATION_S} s per case, ${CONNECTIONS} connections\n`);

  await fetch(`${url}/bench/cached`, { headers: auth });
  const bare = await load('bare route (no cache)', `${url}/bench/bare`, auth);
  const hit = await load('cache hit', `${url}/bench/cached`, auth);
  const miss = await load('cache miss (handler + store)', `${url}/bench/cached`, {
    ...auth,
    'cache-control': 'no-cache',
  });
  const cost = (r: AutocannonResult) =>
    ((bare.requests.average / r.requests.average - 1) * 100).toFixed(1);
  console.log(`\ntime per request against bare: hit ${cost(hit)}%, miss ${cost(miss)}%`);
  console.log(redis);

  child.send('stop');
}

async function load(title: string, url: string, headers: Record<string, string>) {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S });
  const { requests, latency, non2xx, errors } = result;
  console.log(
    `${title.padEnd(30)} ${requests.average.toFixed(0).padStart(7)} req/s   ` +
      `latency avg ${latency.average.toFixed(2)} ms, p50 ${latency.p50} ms, p99 ${latency.p99} ms` +
      (non2xx + errors > 0 ? `   (${non2xx} non-2xx, ${errors} errors)` : ''),
  );

  return result;
}

/** What a hit pays to Redis: the entry and its generation in one MGET, against two GETs. */
async function roundTrips(cache: Cache): Promise<string> {
  const keys = ['bench:entry', 'bench:generation'];
  await cache.mset<unknown>([
    { key: keys[0], value: { body: JSON.stringify(PAGE) }, ttl: 60_000 },
    { key: keys[1], value: 'g1', ttl: 60_000 },
  ]);

  const time = async (work: () => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < ROUND_TRIPS; i++) await work();

    return Number(process.hrtime.bigint() - started) / 1_000 / ROUND_TRIPS;
  };
  const single = await time(() => cache.get(keys[0]));
  const together = await time(() => cache.mget(keys));
  const apart = await time(async () => (await cache.get(keys[1]), await cache.get(keys[0])));
  await cache.mdel(keys);

  return (
    `Redis per hit, sequential, ${ROUND_TRIPS} runs: entry alone ${single.toFixed(0)} µs, ` +
    `entry + generation in one MGET ${together.toFixed(0)} µs, as two GETs ${apart.toFixed(0)} µs`
  );
}

async function createOrgKey(url: string, app: INestApplication): Promise<string> {
  const res = await fetch(`${url}/v1/orgs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${app.get(AppConfig).adminToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ name: 'Bench' }),
  });

  return ((await res.json()) as { apiKey: string }).apiKey;
}

async function clearNamespace(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl);
  const keys = await redis.keys(`${config.cacheNamespace}::*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

(process.argv.includes('--serve') ? serve() : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
