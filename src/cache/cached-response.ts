import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** What the store keeps for one response: enough to answer the same bytes and headers again. */
export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  storedAt: number;
  /** The generation of each of the route's resources when the handler started. */
  generations: (string | null)[];
}

/** Headers that describe the representation and are replayed on a hit; nothing per-request. */
export const REPRESENTATION_HEADERS = [
  'cache-control',
  'content-language',
  'content-type',
  'etag',
  'last-modified',
  'vary',
];

export const MAX_BODY_BYTES = 1_048_576;

export interface StorableBody {
  text: string;
  /** Express's default Content-Type for this kind of value, used when the handler set none. */
  type: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/html; charset=utf-8';

/**
 * The body text to store, exactly as Express would send it, or the reason this response must
 * not be stored at all.
 */
export function storableBody(
  res: Response,
  body: unknown,
  expectedStatus: number,
  vary: string[],
): StorableBody | { reason: string } {
  const reason = responseProblem(res, expectedStatus, vary);
  if (reason) return { reason };

  const text = serialize(body);
  if (text === null) return { reason: 'body-type' };
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { reason: 'body-size' };

  return { text, type: typeof body === 'string' ? TEXT_TYPE : JSON_TYPE };
}

/** Records the headers to replay; sets the validator and Vary on this response as well. */
export function toCachedResponse(
  res: Response,
  { text, type }: StorableBody,
  vary: string[],
  generations: (string | null)[],
): CachedResponse {
  res.setHeader('Content-Type', String(res.getHeader('content-type') ?? type));
  res.setHeader('ETag', strongEtag(text));
  res.setHeader('Vary', varyHeader(res.getHeader('vary'), vary));

  const headers: Record<string, string> = {};
  for (const name of REPRESENTATION_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }

  return { status: res.statusCode, headers, body: text, storedAt: Date.now(), generations };
}

/** A strong validator: the same bytes always give the same tag, different bytes never do. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** The lower-cased directives of a comma-separated header such as Cache-Control or Pragma. */
export function headerTokens(value: string | number | string[] | undefined): string[] {
  if (value === undefined) return [];

  return [value]
    .flat()
    .join(',')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

// Responses are per org, so Authorization is always named: shared caches downstream must key by it.
function varyHeader(current: string | number | string[] | undefined, vary: string[]): string {
  const names = new Set([...headerTokens(current), ...vary, 'authorization']);

  return [...names].sort().join(', ');
}

function varyIsDeclared(current: string | number | string[] | undefined, vary: string[]): boolean {
  return headerTokens(current).every((name) => name === 'authorization' || vary.includes(name));
}

function responseProblem(res: Response, expectedStatus: number, vary: string[]): string | null {
  if (res.headersSent) return 'handler-wrote-response';
  if (res.statusCode !== expectedStatus || res.statusCode < 200 || res.statusCode > 299) {
    return 'response-status';
  }
  if (res.getHeader('set-cookie') !== undefined) return 'response-sets-cookie';

  const directives = headerTokens(res.getHeader('cache-control'));
  for (const directive of ['no-store', 'private', 'no-cache']) {
    if (directives.includes(directive)) return `response-${directive}`;
  }

  return varyIsDeclared(res.getHeader('vary'), vary) ? null : 'response-vary';
}

// Plain values and strings only: buffers and streamed files are not replayed from the cache.
function serialize(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return null;
  if (typeof (body as { getStream?: unknown }).getStream === 'function') return null;

  return JSON.stringify(body);
}
