import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** DI token for the service's own Redis connection (health checks, rate-limit pauses). */
export abstract class RedisClient extends Redis {}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RedisClient,
      inject: [AppConfig],
      // No offline queue: with Redis down, a command fails at once instead of waiting.
      useFactory: (config: AppConfig) =>
        new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
    },
    RedisLifecycle,
  ],
  exports: [RedisClient],
})
export class RedisModule {}
