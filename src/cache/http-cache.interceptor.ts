import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { catchError, from, lastValueFrom, mergeMap, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { AppConfig } from '../config/app-config';
import { CacheCounters, CacheOutcome } from './cache-counters';
import { CacheInvalidator } from './cache-invalidator';
import { cacheKey, generationKey, keyHash } from './cache-key';
import { CacheStore } from './cache-store';
import { CACHE_INVALIDATES, CACHE_POLICY, CachePolicy } from './cache.decorators';
import { CachedResponse, headerTokens, storableBody, toCachedResponse } from './cached-response';
import { SingleFlight } from './single-flight';

interface Exchange {
  req: Request & Partial<Pick<AuthenticatedRequest, 'org'>>;
  res: Response;
  orgId?: string;
  route: string;
  started: number;
}

interface Lookup {
  key: string;
  generations: (string | null)[];
  policy: CachePolicy;
  expectedStatus: number;
}

interface Filled {
  body: unknown;
  entry: CachedResponse | null;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * The HTTP cache. Routes opt in with `@Cached` (GET and HEAD only) and retire entries with
 * `@InvalidatesCache`; every other route passes straight through.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  private readonly flights = new SingleFlight<Filled>();

  constructor(
    private readonly reflector: Reflector,
    private readonly store: CacheStore,
    private readonly invalidator: CacheInvalidator,
    private readonly counters: CacheCounters,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('HttpCache');
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const handler = context.getHandler();
    const policy = this.reflector.get<CachePolicy | undefined>(CACHE_POLICY, handler);
    const invalidates = this.reflector.get<string[] | undefined>(CACHE_INVALIDATES, handler);
    if (context.getType() !== 'http' || (!policy && !invalidates)) return next.handle();

    const x = this.exchange(context);
    if (!READ_METHODS.has(x.req.method)) {
      if (policy) this.stepAside(x, 'method');

      return invalidates ? this.invalidating(x, invalidates, next) : next.handle();
    }
    if (!policy) return next.handle();

    const expectedStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler);

    return from(this.serve(x, policy, expectedStatus ?? 200, next));
  }

  private async serve(
    x: Exchange,
    policy: CachePolicy,
    expectedStatus: number,
    next: CallHandler,
  ): Promise<unknown> {
    const directive = requestDirective(x.req);
    if (directive === 'no-store') return this.passThrough(x, 'request-no-store', next);
    if (!x.orgId) return this.passThrough(x, 'no-org', next);
    if (!(await this.invalidator.settled(x.orgId, policy.resources))) {
      return this.passThrough(x, 'invalidation-owed', next);
    }

    const orgId = x.orgId;
    const { method, originalUrl: url, headers } = x.req;
    const key = cacheKey({ orgId, method, url, headers, vary: policy.vary });
    const genKeys = policy.resources.map((resource) => generationKey(orgId, resource));
    const found = await this.store.read([key, ...genKeys]);
    if (!found) return this.passThrough(x, 'store-unavailable', next);

    const [stored, ...gens] = found;
    const lookup = { key, generations: gens.map(asGeneration), policy, expectedStatus };
    if (directive === 'no-cache') return (await this.fill(x, lookup, next)).body;
    if (isCurrent(stored, lookup.generations)) return this.answer(x, stored, 'hit', key);

    return this.fillOnce(x, lookup, next);
  }

  /** Concurrent misses on one key share the first one's handler run. */
  private async fillOnce(x: Exchange, lookup: Lookup, next: CallHandler): Promise<unknown> {
    const flightKey = `${lookup.key}|${lookup.generations.join('|')}`;
    const { result, leader } = this.flights.run(flightKey, () => this.fill(x, lookup, next));
    if (leader) return (await result).body;

    const shared = await result.catch(() => null);
    if (shared?.entry) return this.answer(x, shared.entry, 'miss', lookup.key);

    // The first response could not be shared (not storable, or it failed): run our own.
    return (await this.fill(x, lookup, next)).body;
  }

  private async fill(x: Exchange, lookup: Lookup, next: CallHandler): Promise<Filled> {
    const body: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
    const storable = storableBody(x.res, body, lookup.expectedStatus, lookup.policy.vary);
    if ('reason' in storable) {
      this.stepAside(x, storable.reason);

      return { body, entry: null };
    }

    const entry = toCachedResponse(x.res, storable, lookup.policy.vary, lookup.generations);
    x.res.setHeader('X-Cache', 'MISS');
    this.record(x, 'miss', { key: lookup.key });

    const ttlMs = lookup.policy.ttlMs ?? this.config.cacheTtlMs;
    const stored = await this.store.write([{ key: lookup.key, value: entry, ttlMs }]);
    this.logger.debug(
      {
        event: 'cache.store',
        orgId: x.orgId,
        route: x.route,
        key: keyHash(lookup.key),
        ttlMs,
        stored,
      },
      'cache store',
    );

    return { body: entry.body, entry };
  }

  private answer(x: Exchange, entry: CachedResponse, outcome: CacheOutcome, key: string): string {
    x.res.status(entry.status);
    for (const [name, value] of Object.entries(entry.headers)) x.res.setHeader(name, value);
    x.res.setHeader('X-Cache', outcome === 'hit' ? 'HIT' : 'MISS');
    x.res.setHeader('Age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
    this.record(x, outcome, { key, shared: outcome === 'miss' || undefined });

    return entry.body;
  }

  private passThrough(x: Exchange, reason: string, next: CallHandler): Promise<unknown> {
    this.stepAside(x, reason);

    return lastValueFrom(next.handle(), { defaultValue: undefined });
  }

  private stepAside(x: Exchange, reason: string): void {
    x.res.setHeader('X-Cache', 'BYPASS');
    x.res.setHeader('X-Cache-Reason', reason);
    this.record(x, 'bypass', { reason });
  }

  /** Writes retire entries before the client hears back, so its next read sees the change. */
  private invalidating(x: Exchange, resources: string[], next: CallHandler): Observable<unknown> {
    const retire = async () => {
      if (x.orgId) await this.invalidator.invalidate(x.orgId, resources);
    };

    return next.handle().pipe(
      mergeMap(async (body: unknown) => (await retire(), body)),
      catchError((err: unknown) =>
        from(
          (async () => {
            // A refused request (4xx) changed nothing; anything else may have.
            if (!(err instanceof HttpException && err.getStatus() < 500)) await retire();
            throw err;
          })(),
        ),
      ),
    );
  }

  private record(x: Exchange, outcome: CacheOutcome, fields: Record<string, unknown>): void {
    this.counters.count(outcome, fields.reason as string | undefined);
    const durationMs = Math.round((performance.now() - x.started) * 100) / 100;
    const key = typeof fields.key === 'string' ? keyHash(fields.key) : undefined;
    this.logger.debug(
      { event: `cache.${outcome}`, orgId: x.orgId, route: x.route, ...fields, key, durationMs },
      `cache ${outcome}`,
    );
  }

  private exchange(context: ExecutionContext): Exchange {
    const http = context.switchToHttp();
    const req = http.getRequest<Exchange['req']>();
    const route = (req.route as { path?: string } | undefined)?.path ?? req.path;

    return {
      req,
      res: http.getResponse<Response>(),
      orgId: req.org?.id,
      route,
      started: performance.now(),
    };
  }
}

/** `no-store` keeps the request away from the cache; `no-cache` asks for a fresh answer. */
function requestDirective(req: Request): 'no-store' | 'no-cache' | null {
  const directives = headerTokens(req.headers['cache-control']);
  if (directives.includes('no-store')) return 'no-store';
  if (directives.includes('no-cache') || directives.includes('max-age=0')) return 'no-cache';

  return headerTokens(req.headers.pragma).includes('no-cache') ? 'no-cache' : null;
}

function isCurrent(stored: unknown, generations: (string | null)[]): stored is CachedResponse {
  if (typeof stored !== 'object' || stored === null) return false;

  const entry = stored as Partial<CachedResponse>;

  return (
    typeof entry.body === 'string' &&
    Array.isArray(entry.generations) &&
    entry.generations.length === generations.length &&
    entry.generations.every((generation, i) => generation === generations[i])
  );
}

function asGeneration(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
