import * as Joi from 'joi';

/** Every environment variable the service reads, with its default and its rule. */
export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  APP_ROLE: Joi.string().valid('all', 'api', 'worker').default('all'),
  PORT: Joi.number().port().default(3000),
  DATABASE_URL: Joi.string()
    .pattern(/^(postgres(ql)?:\/\/.+|[^:]+|sqlite:.+|:memory:)$/)
    .default('var/campaign-mailer.sqlite')
    .messages({
      'string.pattern.base': '{{#label}} must be a postgres:// URL or a SQLite file path',
    }),
  DATABASE_MIGRATE_ON_START: Joi.boolean().default(true),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .default('redis://127.0.0.1:6379'),
  ADMIN_TOKEN: Joi.string()
    .min(16)
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.optional().default('dev-admin-token-change-me'),
    }),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),
  LOG_DESTINATION: Joi.string().valid('stdout', 'stderr').default('stdout'),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+$/)
    .default('cm'),
  WORKER_CONCURRENCY: Joi.number().integer().min(1).max(64).default(4),
  EMAIL_MAX_ATTEMPTS: Joi.number().integer().min(1).max(50).default(8),
  EMAIL_RETRY_BASE_MS: Joi.number().integer().min(1).default(2000),
  EMAIL_RETRY_MAX_MS: Joi.number().integer().min(1).default(600000),
  DELIVERY_LEASE_MS: Joi.number().integer().min(1000).default(300000),
  RECOVERY_INTERVAL_MS: Joi.number().integer().min(1000).default(60000),
  PUBLIC_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:3000'),
  APP_SECRET: Joi.string()
    .min(32)
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.optional().default('development-secret-change-me-0123456789'),
    }),
  CACHE_NAMESPACE: Joi.string()
    .pattern(/^[A-Za-z0-9_.-]+$/)
    .default('cm-cache'),
  CACHE_TTL_MS: Joi.number().integer().min(1).max(3_600_000).default(30_000),
  CACHE_TIMEOUT_MS: Joi.number().integer().min(1).max(5_000).default(50),
  BODY_LIMIT: Joi.string()
    .pattern(/^\d+(kb|mb)$/)
    .default('10mb'),
  EMAIL_PROVIDER: Joi.string().valid('outbox', 'sendgrid', 'resend').default('outbox'),
  SENDGRID_API_KEY: providerKey('sendgrid'),
  SENDGRID_API_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.sendgrid.com'),
  RESEND_API_KEY: providerKey('resend'),
  RESEND_API_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.resend.com'),
  OUTBOX_DIR: Joi.string().default('var/outbox'),
  EMAIL_REQUEST_TIMEOUT_MS: Joi.number().integer().min(100).max(300_000).default(10_000),
}).unknown(true);

/** An API key that must be set when EMAIL_PROVIDER names its provider; empty counts as unset. */
function providerKey(provider: string): Joi.StringSchema {
  return Joi.string()
    .empty('')
    .when('EMAIL_PROVIDER', { is: provider, then: Joi.required() })
    .messages({ 'any.required': `{{#label}} is required when EMAIL_PROVIDER=${provider}` });
}
