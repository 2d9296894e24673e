import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Everything a cached response may depend on; nothing else may influence it. */
export interface CacheKeyParts {
  orgId: string;
  method: string;
  /** The request target as sent: path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Lower-case names of the request headers the response varies on. */
  vary: string[];
}

/**
 * The one place entry keys are made. The org comes first so two tenants can never share an
 * entry; HEAD reads GET's entry; query parameters are sorted by name (repeats keep their order).
 */
export function cacheKey(parts: CacheKeyParts): string {
  const [path, query = ''] = splitTarget(parts.url);
  const method = parts.method === 'HEAD' ? 'GET' : parts.method;
  const params = [...new URLSearchParams(query)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const varied = parts.vary.map((name) => [name, headerValue(parts.headers[name])]);
  const material = JSON.stringify([parts.orgId, method, path, params, varied]);

  return `e:${createHash('sha256').update(material).digest('base64url')}`;
}

/** The generation key of one resource of one org: bumping it retires every entry built on it. */
export function generationKey(orgId: string, resource: string): string {
  return `g:${orgId}:${resource}`;
}

/** A short, stable id for a key in logs, so keys can be correlated without being printed. */
export function keyHash(key: string): string {
  return key.slice(2, 14);
}

function splitTarget(url: string): [string, string?] {
  const at = url.indexOf('?');

  return at === -1 ? [url] : [url.slice(0, at), url.slice(at + 1)];
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;

  return Array.isArray(value) ? value.join(', ') : value;
}
