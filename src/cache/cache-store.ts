import { Inject, Injectable } from '@nestjs/common';
import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import { AppConfig } from '../config/app-config';
import { CacheHealth } from './cache-health';

export interface StoreWrite {
  key: string;
  value: unknown;
  ttlMs: number;
}

/**
 * DI token for the shared store behind the HTTP cache. Calls never throw and never wait
 * longer than CACHE_TIMEOUT_MS: `null` or `false` means the store did not answer.
 */
export abstract class CacheStore {
  /** One round trip for all keys; `null` when the store is unavailable. */
  abstract read(keys: string[]): Promise<unknown[] | null>;

  abstract write(writes: StoreWrite[]): Promise<boolean>;
}

class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache store did not answer within ${ms} ms`);
  }
}

/** The store over cache-manager (Keyv on Redis in the app), bounded in time and failing open. */
@Injectable()
export class BoundedCacheStore extends CacheStore {
  private readonly timeoutMs: number;
  // Keyv reports most store failures as events rather than rejections; count them.
  private errors = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly health: CacheHealth,
    config: AppConfig,
  ) {
    super();
    this.timeoutMs = config.cacheTimeoutMs;
    for (const store of cache.stores) store.on('error', (err: unknown) => this.onError(err));
  }

  async read(keys: string[]): Promise<unknown[] | null> {
    return this.bounded('read', () => this.cache.mget<unknown>(keys), null);
  }

  async write(writes: StoreWrite[]): Promise<boolean> {
    const list = writes.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs }));

    return this.bounded('write', async () => (await this.cache.mset(list), true), false);
  }

  private async bounded<T, F>(
    operation: string,
    call: () => Promise<T>,
    failed: F,
  ): Promise<T | F> {
    if (!this.health.available) return failed;

    const errorsBefore = this.errors;
    try {
      const result = await withTimeout(call(), this.timeoutMs);
      if (this.errors !== errorsBefore) return failed;

      this.health.succeeded();

      return result;
    } catch (err) {
      this.health.failed(operation, err);

      return failed;
    }
  }

  private onError(err: unknown): void {
    this.errors++;
    this.health.failed('store', err);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(ms)), ms);
  });

  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
