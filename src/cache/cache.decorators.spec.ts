import {
  CACHE_POLICY,
  Cached,
  CachePolicy,
  InvalidatesCache,
  MAX_ENTRY_TTL_MS,
} from './cache.decorators';

function policyOf(decorator: MethodDecorator): CachePolicy {
  class Target {
    route(): void {}
  }
  const descriptor = Object.getOwnPropertyDescriptor(
    Target.prototype,
    'route',
  ) as PropertyDescriptor;
  decorator(Target.prototype, 'route', descriptor);

  return Reflect.getMetadata(CACHE_POLICY, descriptor.value) as CachePolicy;
}

describe('cache decorators', () => {
  it('records resources, TTL and lower-cased vary headers', () => {
    const policy = policyOf(
      Cached(['contacts', 'campaigns'], { ttlMs: 5_000, vary: ['Accept-Language'] }),
    );

    expect(policy).toEqual({
      resources: ['campaigns', 'contacts'],
      ttlMs: 5_000,
      vary: ['accept-language'],
    });
  });

  it('refuses a TTL outside 1 ms to the generation-safe maximum', () => {
    expect(() => Cached('contacts', { ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() => Cached('contacts', { ttlMs: MAX_ENTRY_TTL_MS + 1 })).toThrow(/ttlMs/);
  });

  it('refuses empty or malformed resource names', () => {
    expect(() => Cached([])).toThrow(/resources/);
    expect(() => InvalidatesCache('Contacts:all')).toThrow(/resources/);
  });
});
