import {
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { connectDatabase, databaseKind, migrateToLatest } from './connect';
import { Database } from './database';

@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(Database) private readonly db: Database,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('Database');
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.migrateOnStart) return;

    const applied = await migrateToLatest(this.db, this.config.databaseUrl);
    const kind = databaseKind(this.config.databaseUrl);
    this.logger.info({ event: 'database.migrated', kind, applied }, 'database migrated');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => connectDatabase(config.databaseUrl),
    },
    DatabaseLifecycle,
  ],
  exports: [Database],
})
export class DatabaseModule {}
