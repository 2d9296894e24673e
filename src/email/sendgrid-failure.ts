import { EmailProviderError } from './email-provider.error';
import {
  delayFromRetryAfter,
  delayUntilEpochSeconds,
  headerValue,
  longestDelay,
  ResponseHeaders,
} from './retry-delay';

/**
 * What @sendgrid/client rejects with. Its ResponseError class is not exported at run time, so
 * errors are read by shape: an HTTP failure has the status as a numeric `code` and a `response`;
 * a network failure has a string `code` (ECONNREFUSED, ECONNABORTED) and no response.
 */
interface SendGridErrorShape {
  code?: unknown;
  message?: unknown;
  response?: { headers?: ResponseHeaders; body?: unknown };
}

interface SendGridFieldError {
  message?: unknown;
  field?: unknown;
}

const PERSONALIZATION_FIELD = /^personalizations\.(\d+)(\.|\[|$)/;

/** Turns whatever the SendGrid SDK threw into a classified EmailProviderError. */
export function sendGridFailure(error: unknown, now = Date.now()): EmailProviderError {
  if (error instanceof EmailProviderError) return error;

  const shape = (typeof error === 'object' && error !== null ? error : {}) as SendGridErrorShape;
  if (typeof shape.code === 'number' && shape.response) {
    return httpFailure(shape.code, shape.response.headers, shape.response.body, now);
  }
  if (typeof shape.code === 'string') {
    return new EmailProviderError('transient', `SendGrid request failed: ${shape.code}`);
  }

  // Thrown before any request left, such as the SDK refusing to build the message.
  const reason = typeof shape.message === 'string' ? shape.message : String(error);

  return new EmailProviderError('permanent', `SendGrid message could not be built: ${reason}`);
}

/**
 * For a 400 whose every error names a personalization (`personalizations.3.to.0.email`), the
 * refused personalization indexes with the provider's words; null for any other failure.
 */
export function refusedPersonalizations(error: unknown, count: number): Map<number, string> | null {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SendGridErrorShape;
  if (shape.code !== 400) return null;

  const errors = fieldErrors(shape.response?.body);
  if (errors.length === 0) return null;

  const refused = new Map<number, string>();
  for (const e of errors) {
    const match = typeof e.field === 'string' ? PERSONALIZATION_FIELD.exec(e.field) : null;
    const index = match ? Number(match[1]) : -1;
    if (index < 0 || index >= count) return null;

    const said = `${String(e.field)}: ${String(e.message ?? 'refused')}`;
    refused.set(index, refused.has(index) ? `${refused.get(index)}; ${said}` : said);
  }

  return refused;
}

function httpFailure(
  status: number,
  headers: ResponseHeaders,
  body: unknown,
  now: number,
): EmailProviderError {
  const message = `SendGrid answered ${status}${describeBody(body)}`;
  if (status === 429) {
    const retryAfterMs = longestDelay(
      delayUntilEpochSeconds(headerValue(headers, 'x-ratelimit-reset'), now),
      delayFromRetryAfter(headerValue(headers, 'retry-after'), now),
    );

    return new EmailProviderError('rate_limited', message, status, retryAfterMs);
  }
  if (status === 401 || status === 403) {
    return new EmailProviderError('unauthorized', message, status);
  }
  if (status >= 500 || status === 408) return new EmailProviderError('transient', message, status);

  return new EmailProviderError('permanent', message, status);
}

function fieldErrors(body: unknown): SendGridFieldError[] {
  const errors = (body as { errors?: unknown } | null)?.errors;

  return Array.isArray(errors) ? errors.filter((e) => typeof e === 'object' && e !== null) : [];
}

/** The API's own error messages, short; never a raw page (a 413 answers with HTML). */
function describeBody(body: unknown): string {
  const said = fieldErrors(body)
    .map((e) => (e.field ? `${String(e.field)}: ${String(e.message)}` : String(e.message)))
    .join('; ');

  return said ? `: ${said.slice(0, 500)}` : '';
}
