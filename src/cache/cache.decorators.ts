import { SetMetadata } from '@nestjs/common';

export const CACHE_POLICY = 'cache:policy';
export const CACHE_INVALIDATES = 'cache:invalidates';

/** The longest an entry may live; generation keys outlive it, so an old entry never revives. */
export const MAX_ENTRY_TTL_MS = 3_600_000;

export interface CachedOptions {
  /** Time to live in milliseconds; CACHE_TTL_MS when left out. */
  ttlMs?: number;
  /** Request headers the response depends on; they join the key and the `Vary` header. */
  vary?: string[];
}

export interface CachePolicy {
  resources: string[];
  ttlMs?: number;
  vary: string[];
}

/**
 * Opts a GET route into the HTTP cache. `resources` names what the response is built from;
 * a write marked `@InvalidatesCache` with one of them retires the org's entries for it.
 */
export function Cached(resources: string | string[], options: CachedOptions = {}): MethodDecorator {
  const policy: CachePolicy = {
    resources: checkedResources([resources].flat()),
    ttlMs: options.ttlMs === undefined ? undefined : checkedTtl(options.ttlMs),
    vary: (options.vary ?? []).map((name) => name.toLowerCase()).sort(),
  };

  return SetMetadata(CACHE_POLICY, policy);
}

/** Marks a write route: once it has run, the org's cached responses for `resources` are stale. */
export function InvalidatesCache(...resources: string[]): MethodDecorator {
  return SetMetadata(CACHE_INVALIDATES, checkedResources(resources));
}

// Decorators run at import time, so a mistake here stops the service from starting.
function checkedResources(resources: string[]): string[] {
  if (resources.length === 0 || resources.some((r) => !/^[a-z][a-z0-9-]*$/.test(r))) {
    throw new Error(`Cache resources must be lower-case names, got ${JSON.stringify(resources)}`);
  }

  return [...new Set(resources)].sort();
}

function checkedTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_ENTRY_TTL_MS) {
    throw new Error(`Cache ttlMs must be an integer from 1 to ${MAX_ENTRY_TTL_MS}, got ${ttlMs}`);
  }

  return ttlMs;
}
