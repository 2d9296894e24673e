import { createKeyv, Keyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Module, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { CacheCounters } from './cache-counters';
import { CacheHealth } from './cache-health';
import { CacheInvalidator } from './cache-invalidator';
import { BoundedCacheStore, CacheStore } from './cache-store';
import { HttpCacheInterceptor } from './http-cache.interceptor';

/** How long a connection to Redis may take before the cache counts as unavailable. */
const CONNECT_TIMEOUT_MS = 1_000;

/** The Redis tier: a dead or unreachable Redis makes calls fail at once instead of queueing. */
export function redisKeyv(redisUrl: string, namespace: string): Keyv {
  return createKeyv(
    { url: redisUrl, disableOfflineQueue: true, socket: { connectTimeout: CONNECT_TIMEOUT_MS } },
    { namespace, connectionTimeout: CONNECT_TIMEOUT_MS },
  );
}

/** Everything the layer needs besides cache-manager itself (CACHE_MANAGER), which tests swap. */
export const CACHE_LAYER_PROVIDERS: Provider[] = [
  CacheCounters,
  CacheHealth,
  CacheInvalidator,
  { provide: CacheStore, useClass: BoundedCacheStore },
  { provide: APP_INTERCEPTOR, useClass: HttpCacheInterceptor },
];

/**
 * The HTTP cache: Keyv over @keyv/redis behind cache-manager, one namespace per deployment.
 * Its interceptor runs for every route but acts only on routes marked `@Cached` or
 * `@InvalidatesCache`.
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ttl: config.cacheTtlMs,
        stores: [redisKeyv(config.redisUrl, config.cacheNamespace)],
      }),
    }),
  ],
  providers: CACHE_LAYER_PROVIDERS,
  exports: [CacheCounters, CacheInvalidator, CacheStore],
})
export class CacheModule {}
