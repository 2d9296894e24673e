import { ConfigService } from '@nestjs/config';

export type NodeEnv = 'development' | 'test' | 'production';
export type AppRole = 'all' | 'api' | 'worker';
export type EmailProviderName = 'outbox' | 'sendgrid' | 'resend';

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
  readonly logDestination: 'stdout' | 'stderr';
  readonly bodyLimit: string;
  readonly cacheNamespace: string;
  readonly cacheTtlMs: number;
  readonly cacheTimeoutMs: number;
  readonly queuePrefix: string;
  readonly workerConcurrency: number;
  readonly emailMaxAttempts: number;
  readonly emailRetryBaseMs: number;
  readonly emailRetryMaxMs: number;
  readonly recoveryIntervalMs: number;
  readonly deliveryLeaseMs: number;
  readonly publicBaseUrl: string;
  readonly appSecret: string;
  readonly emailProvider: EmailProviderName;
  readonly sendgridApiKey: string | null;
  readonly sendgridApiBaseUrl: string;
  readonly resendApiKey: string | null;
  readonly resendApiBaseUrl: string;
  readonly outboxDir: string;
  readonly emailRequestTimeoutMs: number;

  constructor(values: Omit<AppConfig, 'servesHttp' | 'runsWorkers'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }

  get servesHttp(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
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
      logDestination: get<'stdout' | 'stderr'>('LOG_DESTINATION'),
      bodyLimit: get<string>('BODY_LIMIT'),
      cacheNamespace: get<string>('CACHE_NAMESPACE'),
      cacheTtlMs: get<number>('CACHE_TTL_MS'),
      cacheTimeoutMs: get<number>('CACHE_TIMEOUT_MS'),
      queuePrefix: get<string>('QUEUE_PREFIX'),
      workerConcurrency: get<number>('WORKER_CONCURRENCY'),
      emailMaxAttempts: get<number>('EMAIL_MAX_ATTEMPTS'),
      emailRetryBaseMs: get<number>('EMAIL_RETRY_BASE_MS'),
      emailRetryMaxMs: get<number>('EMAIL_RETRY_MAX_MS'),
      recoveryIntervalMs: get<number>('RECOVERY_INTERVAL_MS'),
      deliveryLeaseMs: get<number>('DELIVERY_LEASE_MS'),
      publicBaseUrl: get<string>('PUBLIC_BASE_URL').replace(/\/+$/, ''),
      appSecret: get<string>('APP_SECRET'),
      emailProvider: get<EmailProviderName>('EMAIL_PROVIDER'),
      sendgridApiKey: config.get<string>('SENDGRID_API_KEY') ?? null,
      sendgridApiBaseUrl: get<string>('SENDGRID_API_BASE_URL').replace(/\/+$/, ''),
      resendApiKey: config.get<string>('RESEND_API_KEY') ?? null,
      resendApiBaseUrl: get<string>('RESEND_API_BASE_URL').replace(/\/+$/, ''),
      outboxDir: get<string>('OUTBOX_DIR'),
      emailRequestTimeoutMs: get<number>('EMAIL_REQUEST_TIMEOUT_MS'),
    });
  }
}
