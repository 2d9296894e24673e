import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'cm_';

export interface IssuedApiKey {
  key: string;
  hash: string;
  prefix: string;
}

/**
 * Keys carry 256 random bits, so a fast SHA-256 is enough to store them safely: there is no
 * low-entropy secret for a slow hash to protect, and lookups stay one indexed query.
 */
export function issueApiKey(): IssuedApiKey {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');

  return { key, hash: hashApiKey(key), prefix: key.slice(0, 10) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);

  return match ? match[1] : null;
}
