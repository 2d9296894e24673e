import { CACHE_MANAGER } from '@nestjs/cache-manager';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  INestApplication,
  InternalServerErrorException,
  Param,
  Patch,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createCache } from 'cache-manager';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { AppConfig } from '../config/app-config';
import { CacheCounters } from './cache-counters';
import { CACHE_LAYER_PROVIDERS } from './cache.module';
import { Cached, InvalidatesCache } from './cache.decorators';

const TIMEOUT_MS = 40;

/** Sets `req.org` from a header, standing in for the API key guard. */
class HeaderOrgGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    const id = req.headers['x-org'];
    if (id) req.org = { id, name: id };

    return true;
  }
}

const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
let notes: Record<string, string> = {};

@Controller('notes')
@UseGuards(HeaderOrgGuard)
class NotesController {
  @Get(':id')
  @Cached('notes')
  note(@Param('id') id: string): object {
    return { id, text: notes[id], call: count('note') };
  }

  @Get(':id/slow')
  @Cached('notes')
  async slow(@Param('id') id: string): Promise<object> {
    count('slow');
    await new Promise((resolve) => setTimeout(resolve, 100));

    return { id, text: notes[id] };
  }

  @Get(':id/text')
  @Cached('notes')
  text(@Param('id') id: string): string {
    count('text');

    return notes[id];
  }

  @Get(':id/file')
  @Cached('notes')
  file(@Param('id') id: string): StreamableFile {
    count('file');

    return new StreamableFile(Buffer.from(notes[id]));
  }

  @Patch(':id/:text')
  @InvalidatesCache('notes')
  update(@Param('id') id: string, @Param('text') text: string): object {
    notes[id] = text;

    return { id, text };
  }

  @Patch(':id/:text/fail')
  @InvalidatesCache('notes')
  updateThenFail(@Param('id') id: string, @Param('text') text: string): never {
    notes[id] = text;
    throw new InternalServerErrorException();
  }
}

function recordingLogger() {
  const events: Record<string, unknown>[] = [];
  const record = (fields: Record<string, unknown>) => events.push(fields);
  const logger = { setContext: () => undefined, debug: record, info: record, warn: record };

  return { events, logger: logger as unknown as PinoLogger };
}

async function startApp(cache: unknown) {
  const { events, logger } = recordingLogger();
  const moduleRef = await Test.createTestingModule({
    controllers: [NotesController],
    providers: [
      ...CACHE_LAYER_PROVIDERS,
      { provide: CACHE_MANAGER, useValue: cache },
      { provide: AppConfig, useValue: { cacheTtlMs: 60_000, cacheTimeoutMs: TIMEOUT_MS } },
      { provide: PinoLogger, useValue: logger },
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.set('etag', false);
  await app.init();

  return { app, events, http: request(app.getHttpServer()) };
}

describe('HttpCacheInterceptor with an in-memory store', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeEach(async () => {
    for (const name of Object.keys(calls)) delete calls[name];
    notes = { a: 'first', b: 'other' };
    ({ app, http } = await startApp(createCache()));
  });

  afterEach(() => app.close());

  const get = (path: string, org = 'org-1') => http.get(path).set('x-org', org);

  it('serves the second GET from the cache with the same body and headers', async () => {
    const miss = await get('/notes/a').expect(200);
    const hit = await get('/notes/a').expect(200);

    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers.age).toBe('0');
    expect(calls.note).toBe(1);
  });

  it('replays a string body with the content type Express gave it', async () => {
    const miss = await get('/notes/a/text').expect(200);
    const hit = await get('/notes/a/text').expect(200);

    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe('first');
    expect(hit.headers['content-type']).toBe(miss.headers['content-type']);
    expect(calls.text).toBe(1);
  });

  it('does not store a streamed file', async () => {
    const res = await get('/notes/a/file').expect(200);
    await get('/notes/a/file').expect(200);

    expect(res.headers['x-cache-reason']).toBe('body-type');
    expect(calls.file).toBe(2);
  });

  it('steps aside when no org is on the request', async () => {
    const res = await http.get('/notes/a').expect(200);
    await http.get('/notes/a').expect(200);

    expect(res.headers['x-cache-reason']).toBe('no-org');
    expect(calls.note).toBe(2);
  });

  it('retires the entry when a write of the same org succeeds', async () => {
    await get('/notes/a').expect(200);

    await http.patch('/notes/a/second').set('x-org', 'org-1').expect(200);

    const after = await get('/notes/a').expect(200);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body.text).toBe('second');
  });

  it('retires the entry when a write fails with a server error', async () => {
    await get('/notes/a').expect(200);

    await http.patch('/notes/a/half-done/fail').set('x-org', 'org-1').expect(500);

    expect((await get('/notes/a').expect(200)).body.text).toBe('half-done');
  });

  it('keeps serving from the cache for an org that did not write', async () => {
    await get('/notes/a', 'org-2').expect(200);

    await http.patch('/notes/a/second').set('x-org', 'org-1').expect(200);

    expect((await get('/notes/a', 'org-2')).headers['x-cache']).toBe('HIT');
  });

  it('runs the handler once for concurrent misses and gives all the same answer', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => get('/notes/b/slow')));

    expect(calls.slow).toBe(1);
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(app.get(CacheCounters).snapshot()).toMatchObject({ miss: 5, hit: 0 });
  });
});

describe('HttpCacheInterceptor with a store that fails', () => {
  afterEach(() => jest.restoreAllMocks());

  it('serves from the handler without waiting when the store never answers', async () => {
    const never = () => new Promise<never>(() => undefined);
    const hanging = { ...createCache(), mget: never, mset: never };
    const { app, events, http } = await startApp(hanging);

    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => http.get('/notes/a').set('x-org', 'org-1')),
    );

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(events.filter((e) => e.event === 'cache.error')).toHaveLength(1);
    await app.close();
  });

  it('serves from the handler when the store rejects, and recovers when it answers', async () => {
    const cache = createCache();
    const failing = jest.spyOn(cache, 'mget').mockRejectedValue(new Error('ECONNREFUSED'));
    const { app, events, http } = await startApp(cache);

    const down = await http.get('/notes/a').set('x-org', 'org-1').expect(200);
    expect(down.headers['x-cache']).toBe('BYPASS');
    expect(down.headers['x-cache-reason']).toBe('store-unavailable');

    failing.mockRestore();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    await http.get('/notes/a').set('x-org', 'org-1').expect(200);
    const up = await http.get('/notes/a').set('x-org', 'org-1').expect(200);

    expect(up.headers['x-cache']).toBe('HIT');
    expect(events.map((e) => e.event)).toContain('cache.recovered');
    await app.close();
  });
});
