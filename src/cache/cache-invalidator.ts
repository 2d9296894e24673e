import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { generationKey } from './cache-key';
import { MAX_ENTRY_TTL_MS } from './cache.decorators';
import { CacheStore } from './cache-store';

/** Generation keys outlive every entry, so an entry can never match a generation that expired. */
export const GENERATION_TTL_MS = 24 * MAX_ENTRY_TTL_MS;

/**
 * Retires cached responses by giving an org's resource a new generation: one small write per
 * resource, seen by every process on its next read, with no scan of the keyspace.
 */
@Injectable()
export class CacheInvalidator {
  // Invalidations the store missed; this process bypasses those entries until one lands.
  private readonly owed = new Set<string>();

  constructor(
    private readonly store: CacheStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CacheInvalidator.name);
  }

  /** Call after data changed outside an `@InvalidatesCache` route (a worker, a script). */
  async invalidate(orgId: string, resources: string[]): Promise<boolean> {
    const started = performance.now();
    const writes = resources.map((resource) => ({
      key: generationKey(orgId, resource),
      value: randomBytes(9).toString('base64url'),
      ttlMs: GENERATION_TTL_MS,
    }));
    const done = await this.store.write(writes);
    for (const resource of resources) {
      if (done) this.owed.delete(`${orgId}/${resource}`);
      else this.owed.add(`${orgId}/${resource}`);
    }

    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    this.logger.info(
      { event: 'cache.invalidate', orgId, resources, done, durationMs },
      'cache invalidated',
    );

    return done;
  }

  /** True once no invalidation of these resources is owed (an owed one is retried first). */
  async settled(orgId: string, resources: string[]): Promise<boolean> {
    if (this.owed.size === 0) return true;

    const owed = resources.filter((resource) => this.owed.has(`${orgId}/${resource}`));

    return owed.length === 0 || this.invalidate(orgId, owed);
  }
}
