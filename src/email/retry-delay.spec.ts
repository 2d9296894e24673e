import { delayFromRetryAfter, delayUntilEpochSeconds, headerValue } from './retry-delay';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('retry delays', () => {
  it('reads a header whatever the case of its name', () => {
    expect(headerValue({ 'X-RateLimit-Reset': '10' }, 'x-ratelimit-reset')).toBe('10');
    expect(headerValue({ 'retry-after': ['3', '4'] }, 'Retry-After')).toBe('3');
    expect(headerValue({}, 'retry-after')).toBeNull();
    expect(headerValue(null, 'retry-after')).toBeNull();
  });

  it('counts from now to an epoch-seconds reset, and never below zero', () => {
    expect(delayUntilEpochSeconds(String(NOW / 1000 + 90), NOW)).toBe(90_000);
    expect(delayUntilEpochSeconds(String(NOW / 1000 - 5), NOW)).toBe(0);
  });

  it('reads a small reset value as seconds from now', () => {
    expect(delayUntilEpochSeconds('30', NOW)).toBe(30_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(delayFromRetryAfter('12', NOW)).toBe(12_000);
    expect(delayFromRetryAfter(new Date(NOW + 60_000).toUTCString(), NOW)).toBe(60_000);
  });

  it('ignores values that are not a delay', () => {
    expect(delayFromRetryAfter('soon', NOW)).toBeNull();
    expect(delayUntilEpochSeconds('-3', NOW)).toBeNull();
    expect(delayUntilEpochSeconds('', NOW)).toBeNull();
  });
});
