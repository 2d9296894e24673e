import { ConfigService } from '@nestjs/config';

export type NodeEnv = 'development' | 'test' | 'production';
export type AppRole = 'all' | 'api' | 'worker';

/**
 * The validated, typed configuration. Built once at boot from the environment; every other
 * part of the service injects this class instead of reading the environment itself.
 */
export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly role: AppRole;
  readonly port: number;
  readonly databaseUrl: string;
  readonly migrateOnStart: boolean;
  readonly redisUrl: string;
  readonly adminToken: string;
  readonly logLevel: string;
  readonly bodyLimit: string;

  constructor(values: Omit<AppConfig, 'servesHttp'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get servesHttp(): boolean {
    return this.role !== 'worker';
  }

  static fromConfigService(config: ConfigService): AppConfig {
    const get = <T>(key: string): T => config.getOrThrow<T>(key);

    return new AppConfig({
      nodeEnv: get<NodeEnv>('NODE_ENV'),
      role: get<AppRole>('APP_ROLE'),
      port: get<number>('PORT'),
      databaseUrl: get<string>('DATABASE_URL'),
      migrateOnStart: get<boolean>('DATABASE_MIGRATE_ON_START'),
      redisUrl: get<string>('REDIS_URL'),
      adminToken: get<string>('ADMIN_TOKEN'),
      logLevel: get<string>('LOG_LEVEL'),
      bodyLimit: get<string>('BODY_LIMIT'),
    });
  }
}
