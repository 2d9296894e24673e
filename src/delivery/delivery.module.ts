import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { UnsubscribeTokens } from '../unsubscribe/unsubscribe-token';
import { BatchComposer } from './batch-composer';
import { BatchSender } from './batch-sender';
import { DeliveryRepository } from './delivery.repository';
import { DEFAULT_JOB_OPTIONS, EMAIL_QUEUE } from './email-queue';

/** Shared delivery machinery: the queue, the delivery records, composing and sending batches. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnection(config.redisUrl),
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue({ name: EMAIL_QUEUE }),
  ],
  providers: [DeliveryRepository, BatchComposer, BatchSender, UnsubscribeTokens],
  exports: [BullModule, DeliveryRepository, BatchComposer, BatchSender, UnsubscribeTokens],
})
export class DeliveryModule {}

/** BullMQ takes connection options rather than a URL. */
function redisConnection(url: string) {
  const parsed = new URL(url);

  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}
