import { cacheKey, CacheKeyParts, generationKey } from './cache-key';

const base: CacheKeyParts = {
  orgId: 'org-a',
  method: 'GET',
  url: '/v1/contacts?limit=10',
  headers: {},
  vary: [],
};

describe('cacheKey', () => {
  it('gives two orgs different keys for the same request', () => {
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, orgId: 'org-b' }));
  });

  it('gives HEAD the key of GET, and other methods keys of their own', () => {
    expect(cacheKey({ ...base, method: 'HEAD' })).toBe(cacheKey(base));
    expect(cacheKey({ ...base, method: 'POST' })).not.toBe(cacheKey(base));
  });

  it('ignores the order of query parameters but keeps the order of a repeated one', () => {
    const ab = cacheKey({ ...base, url: '/x?a=1&b=2' });

    expect(cacheKey({ ...base, url: '/x?b=2&a=1' })).toBe(ab);
    expect(cacheKey({ ...base, url: '/x?a=1&b=3' })).not.toBe(ab);
    expect(cacheKey({ ...base, url: '/x?t=1&t=2' })).not.toBe(
      cacheKey({ ...base, url: '/x?t=2&t=1' }),
    );
  });

  it('tells paths apart from query strings', () => {
    expect(cacheKey({ ...base, url: '/x/a=1' })).not.toBe(cacheKey({ ...base, url: '/x?a=1' }));
  });

  it('includes only the request headers the route varies on', () => {
    const vary = ['accept-language'];
    const en = cacheKey({ ...base, vary, headers: { 'accept-language': 'en' } });

    expect(cacheKey({ ...base, vary, headers: { 'accept-language': 'fr' } })).not.toBe(en);
    expect(cacheKey({ ...base, vary, headers: {} })).not.toBe(en);
    expect(cacheKey({ ...base, vary, headers: { 'accept-language': 'en', 'x-other': '1' } })).toBe(
      en,
    );
  });

  it('hashes the material so no org id, path or header value appears in the key', () => {
    const key = cacheKey({
      ...base,
      vary: ['accept-language'],
      headers: { 'accept-language': 'en' },
    });

    expect(key).toMatch(/^e:[A-Za-z0-9_-]{43}$/);
  });
});

describe('generationKey', () => {
  it('is per org and per resource', () => {
    expect(generationKey('org-a', 'contacts')).toBe('g:org-a:contacts');
    expect(generationKey('org-b', 'contacts')).not.toBe(generationKey('org-a', 'contacts'));
  });
});
