import { DynamicModule, Module } from '@nestjs/common';
import { ConditionalModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from './admin/admin.module';
import { CacheModule } from './cache/cache.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ContactsModule } from './contacts/contacts.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { AppConfigModule, EnvOverrides } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EmailModule } from './email/email.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MessagesModule } from './messages/messages.module';
import { OrgsModule } from './orgs/orgs.module';
import { RedisModule } from './redis/redis.module';
import { TemplatesModule } from './templates/templates.module';
import { UnsubscribeModule } from './unsubscribe/unsubscribe.module';
import { WorkerModule } from './worker/worker.module';

@Module({})
export class AppModule {
  /** Composes the application; the environment is read when this is called, not on import. */
  static register(overrides: EnvOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        CacheModule,
        TemplatesModule,
        HealthModule,
        OrgsModule,
        ContactsModule,
        AdminModule,
        CampaignsModule,
        MessagesModule,
        UnsubscribeModule,
        EmailModule,
        // Only `api` processes leave the queue to others.
        ConditionalModule.registerWhen(
          WorkerModule,
          (env) => (overrides.APP_ROLE ?? env.APP_ROLE) !== 'api',
        ),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
