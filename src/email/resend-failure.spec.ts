import { resendFailure } from './resend-failure';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('resendFailure', () => {
  it.each([
    [500, 'internal_server_error', 'transient'],
    [503, 'application_error', 'transient'],
    [409, 'concurrent_idempotent_requests', 'transient'],
    [409, 'invalid_idempotent_request', 'permanent'],
    [422, 'validation_error', 'permanent'],
    [400, 'invalid_idempotency_key', 'permanent'],
    [401, 'missing_api_key', 'unauthorized'],
    [403, 'invalid_api_key', 'unauthorized'],
    [403, 'validation_error', 'unauthorized'],
    [429, 'rate_limit_exceeded', 'rate_limited'],
    [429, 'daily_quota_exceeded', 'rate_limited'],
  ] as const)('classifies %i %s as %s', (statusCode, name, kind) => {
    const failure = resendFailure({ statusCode, name, message: 'said' }, {}, NOW);

    expect(failure.kind).toBe(kind);
    expect(failure.statusCode).toBe(statusCode);
    expect(failure.message).toBe(`Resend answered ${statusCode}: ${name}: said`);
  });

  it('classifies a call that got no answer (status null) as transient', () => {
    const error = { statusCode: null, name: 'application_error', message: 'Unable to fetch data.' };

    expect(resendFailure(error, null, NOW)).toMatchObject({ kind: 'transient', statusCode: null });
  });

  it('falls back on the error name when the status is missing from the body', () => {
    const failure = resendFailure({ statusCode: 0, name: 'rate_limit_exceeded' }, {}, NOW);

    expect(failure.kind).toBe('rate_limited');
  });

  it('waits as long as retry-after or ratelimit-reset asks, whichever is longer', () => {
    const rateLimit = { statusCode: 429, name: 'rate_limit_exceeded' as const, message: 'slow' };

    expect(resendFailure(rateLimit, { 'retry-after': '2' }, NOW).retryAfterMs).toBe(2_000);
    expect(resendFailure(rateLimit, { 'ratelimit-reset': '5' }, NOW).retryAfterMs).toBe(5_000);
    expect(
      resendFailure(rateLimit, { 'retry-after': '2', 'ratelimit-reset': '5' }, NOW).retryAfterMs,
    ).toBe(5_000);
    expect(resendFailure(rateLimit, {}, NOW).retryAfterMs).toBeNull();
  });
});
