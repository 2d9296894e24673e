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
  BODY_LIMIT: Joi.string()
    .pattern(/^\d+(kb|mb)$/)
    .default('10mb'),
}).unknown(true);
