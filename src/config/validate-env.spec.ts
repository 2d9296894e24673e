import { validateEnv } from './validate-env';

const PRODUCTION = {
  NODE_ENV: 'production',
  ADMIN_TOKEN: 'a-long-enough-admin-token',
  APP_SECRET: 'a-long-enough-application-secret-value',
};

describe('validateEnv', () => {
  it('fills every default when nothing is set', () => {
    const env = validateEnv({});

    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATABASE_URL: 'var/campaign-mailer.sqlite',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'info',
      DATABASE_MIGRATE_ON_START: true,
    });
    expect(typeof env.ADMIN_TOKEN).toBe('string');
  });

  it('converts numbers and booleans given as strings', () => {
    expect(validateEnv({ PORT: '8080', DATABASE_MIGRATE_ON_START: 'false' })).toMatchObject({
      PORT: 8080,
      DATABASE_MIGRATE_ON_START: false,
    });
  });

  it('accepts a postgres:// URL and a SQLite path as DATABASE_URL', () => {
    expect(() => validateEnv({ DATABASE_URL: 'postgres://u@db:5432/mailer' })).not.toThrow();
    expect(() => validateEnv({ DATABASE_URL: 'data/mailer.sqlite' })).not.toThrow();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://db/mailer'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['ADMIN_TOKEN', 'short'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(
      new RegExp(`^Invalid configuration:[^]*${name}`),
    );
  });

  it('names every bad variable at once', () => {
    let message = '';
    try {
      validateEnv({ PORT: 'x', LOG_LEVEL: 'loud' });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('PORT');
    expect(message).toContain('LOG_LEVEL');
  });

  it('requires ADMIN_TOKEN in production', () => {
    const withoutToken: Record<string, string> = { ...PRODUCTION };
    delete withoutToken.ADMIN_TOKEN;

    expect(() => validateEnv(withoutToken)).toThrow(/ADMIN_TOKEN is required/);
    expect(() => validateEnv(PRODUCTION)).not.toThrow();
  });

  it('does not require ADMIN_TOKEN in development or test', () => {
    expect(() => validateEnv({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => validateEnv({ NODE_ENV: 'test' })).not.toThrow();
  });
});
