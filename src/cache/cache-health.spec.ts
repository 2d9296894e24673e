import { PinoLogger } from 'nestjs-pino';
import { CacheHealth, ERROR_LOG_INTERVAL_MS, RETRY_AFTER_MS } from './cache-health';

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>) => lines.push({ level, fields });
  const logger = { setContext: () => undefined, warn: at('warn'), info: at('info') };

  return { lines, logger: logger as unknown as PinoLogger };
}

describe('CacheHealth', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('steps aside for a short while after a failure, then lets a request probe', () => {
    const health = new CacheHealth(recordingLogger().logger);
    expect(health.available).toBe(true);

    health.failed('read', new Error('ECONNREFUSED'));
    expect(health.available).toBe(false);

    jest.advanceTimersByTime(RETRY_AFTER_MS);
    expect(health.available).toBe(true);
  });

  it('logs cache.error once per interval however many requests fail', () => {
    const { lines, logger } = recordingLogger();
    const health = new CacheHealth(logger);

    for (let i = 0; i < 50; i++) health.failed('read', new Error('ECONNREFUSED'));
    jest.advanceTimersByTime(ERROR_LOG_INTERVAL_MS);
    health.failed('read', new Error('ECONNREFUSED'));

    const errors = lines.filter((l) => l.fields.event === 'cache.error');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({
      level: 'warn',
      fields: { reason: 'ECONNREFUSED', heldBack: 0 },
    });
    expect(errors[1].fields.heldBack).toBe(49);
  });

  it('logs cache.recovered once when the store answers again', () => {
    const { lines, logger } = recordingLogger();
    const health = new CacheHealth(logger);

    health.succeeded();
    health.failed('write', new Error('timeout'));
    health.succeeded();
    health.succeeded();

    expect(lines.filter((l) => l.fields.event === 'cache.recovered')).toHaveLength(1);
  });
});
