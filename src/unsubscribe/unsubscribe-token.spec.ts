import { AppConfig } from '../config/app-config';
import { UnsubscribeTokens } from './unsubscribe-token';

const config = (appSecret: string) =>
  ({ appSecret, publicBaseUrl: 'https://mail.example.test' }) as AppConfig;

describe('UnsubscribeTokens', () => {
  const tokens = new UnsubscribeTokens(config('first-secret-that-is-long-enough-0000'));
  const deliveryId = '01a23d3f-d453-7740-b3df-a6c9d28508ce';

  it('opens a token it sealed to the same delivery, and seals the same token every time', () => {
    const token = tokens.seal(deliveryId);

    expect(tokens.open(token)).toBe(deliveryId);
    expect(tokens.seal(deliveryId)).toBe(token);
    expect(token).not.toContain('01a23d3f');
  });

  it('refuses an altered token, a truncated one and one sealed with another secret', () => {
    const token = tokens.seal(deliveryId);
    const flipped = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    const other = new UnsubscribeTokens(config('second-secret-that-is-long-enough-000'));

    expect(tokens.open(flipped)).toBeNull();
    expect(tokens.open(token.slice(0, -1))).toBeNull();
    expect(tokens.open(other.seal(deliveryId))).toBeNull();
    expect(tokens.open('not a token')).toBeNull();
  });

  it('builds RFC 8058 one-click headers with an https link', () => {
    const headers = tokens.headers(deliveryId);

    expect(headers['List-Unsubscribe']).toBe(
      `<https://mail.example.test/v1/unsubscribe/${tokens.seal(deliveryId)}>`,
    );
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });
});
