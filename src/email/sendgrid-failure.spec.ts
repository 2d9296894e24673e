import { refusedPersonalizations, sendGridFailure } from './sendgrid-failure';

const NOW = Date.parse('2025-01-01T00:00:00Z');

/** The shape @sendgrid/client rejects with when the API answers with an error status. */
function httpError(code: number, body: unknown = {}, headers: Record<string, string> = {}) {
  return Object.assign(new Error('Bad Request'), { code, response: { headers, body } });
}

function networkError(code: string) {
  return Object.assign(new Error(`connect ${code}`), { code });
}

describe('sendGridFailure', () => {
  it.each([
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [408, 'transient'],
    [400, 'permanent'],
    [413, 'permanent'],
    [404, 'permanent'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [429, 'rate_limited'],
  ])('classifies an HTTP %i as %s', (status, kind) => {
    const failure = sendGridFailure(httpError(status), NOW);

    expect(failure.kind).toBe(kind);
    expect(failure.statusCode).toBe(status);
  });

  it.each(['ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'ENOTFOUND'])(
    'classifies the network failure %s as transient with no status',
    (code) => {
      const failure = sendGridFailure(networkError(code), NOW);

      expect(failure).toMatchObject({ kind: 'transient', statusCode: null });
      expect(failure.message).toContain(code);
    },
  );

  it('classifies an error thrown while building the message as permanent', () => {
    const failure = sendGridFailure(new Error('String expected for `subject`'), NOW);

    expect(failure).toMatchObject({ kind: 'permanent', statusCode: null });
    expect(failure.message).toContain('String expected for `subject`');
  });

  it('waits until X-RateLimit-Reset, given in epoch seconds', () => {
    const reset = String(NOW / 1000 + 42);
    const failure = sendGridFailure(httpError(429, {}, { 'x-ratelimit-reset': reset }), NOW);

    expect(failure.retryAfterMs).toBe(42_000);
  });

  it('waits for Retry-After when that is what the answer carries', () => {
    const failure = sendGridFailure(httpError(429, {}, { 'retry-after': '7' }), NOW);

    expect(failure.retryAfterMs).toBe(7_000);
  });

  it('leaves the delay unset when a 429 says nothing about when to come back', () => {
    expect(sendGridFailure(httpError(429), NOW).retryAfterMs).toBeNull();
  });

  it("puts the API's error messages in the failure, but not an HTML page", () => {
    const body = { errors: [{ message: 'Invalid from', field: 'from.email', help: null }] };

    expect(sendGridFailure(httpError(400, body), NOW).message).toBe(
      'SendGrid answered 400: from.email: Invalid from',
    );
    expect(sendGridFailure(httpError(413, '<html>too large</html>'), NOW).message).toBe(
      'SendGrid answered 413',
    );
  });
});

describe('refusedPersonalizations', () => {
  const refusal = (...fields: string[]) =>
    httpError(400, { errors: fields.map((field) => ({ field, message: `bad ${field}` })) });

  it('names the personalizations a 400 refuses, with the messages for each', () => {
    const refused = refusedPersonalizations(
      refusal('personalizations.2.to.0.email', 'personalizations.2.subject', 'personalizations.0'),
      3,
    );

    expect(refused).toEqual(
      new Map([
        [
          2,
          'personalizations.2.to.0.email: bad personalizations.2.to.0.email; ' +
            'personalizations.2.subject: bad personalizations.2.subject',
        ],
        [0, 'personalizations.0: bad personalizations.0'],
      ]),
    );
  });

  it('refuses to single out recipients when any error concerns the whole request', () => {
    expect(refusedPersonalizations(refusal('personalizations.1.to.0.email', 'from.email'), 3)).toBe(
      null,
    );
    expect(refusedPersonalizations(refusal('personalizations'), 3)).toBeNull();
  });

  it('ignores an index beyond the personalizations that were sent', () => {
    expect(refusedPersonalizations(refusal('personalizations.5.to.0.email'), 3)).toBeNull();
  });

  it('only applies to a 400', () => {
    const notA400 = Object.assign(refusal('personalizations.0.to.0.email'), { code: 413 });

    expect(refusedPersonalizations(notA400, 1)).toBeNull();
    expect(refusedPersonalizations(networkError('ECONNRESET'), 1)).toBeNull();
  });
});
