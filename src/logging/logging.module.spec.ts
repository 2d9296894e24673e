import { loggableUrl } from './logging.module';

describe('loggableUrl', () => {
  it('keeps unsubscribe tokens out of logged URLs', () => {
    expect(loggableUrl('/v1/unsubscribe/AbC_12-xyz')).toBe('/v1/unsubscribe/[redacted]');
    expect(loggableUrl('/v1/unsubscribe/AbC?x=1')).toBe('/v1/unsubscribe/[redacted]?x=1');
  });

  it('leaves other URLs as they are', () => {
    expect(loggableUrl('/v1/campaigns/123?limit=5')).toBe('/v1/campaigns/123?limit=5');
  });
});
