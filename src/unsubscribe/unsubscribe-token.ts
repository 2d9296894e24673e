import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { isId } from '../common/ids';

const ID_BYTES = 16;
const MAC_BYTES = 16;

/**
 * Unsubscribe tokens name a delivery and carry an HMAC of it: unforgeable without APP_SECRET,
 * free of personal data, and the same every time a delivery's message is built, so a retried
 * provider request is byte-for-byte the first one (which idempotency keys rely on).
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.appSecret).update('unsubscribe-token').digest();
  }

  seal(deliveryId: string): string {
    const id = Buffer.from(deliveryId.replace(/-/g, ''), 'hex');

    return Buffer.concat([id, this.mac(id)]).toString('base64url');
  }

  /** The delivery id of a token this service issued, or null for anything else. */
  open(token: string): string | null {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== ID_BYTES + MAC_BYTES || raw.toString('base64url') !== token) return null;
    const id = raw.subarray(0, ID_BYTES);
    if (!timingSafeEqual(raw.subarray(ID_BYTES), this.mac(id))) return null;

    const hex = id.toString('hex');
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

    return isId(uuid) ? uuid : null;
  }

  /** RFC 8058 one-click headers for the message of one delivery. */
  headers(deliveryId: string): Record<string, string> {
    return {
      'List-Unsubscribe': `<${this.config.publicBaseUrl}/v1/unsubscribe/${this.seal(deliveryId)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }

  private mac(id: Buffer): Buffer {
    return createHmac('sha256', this.key).update(id).digest().subarray(0, MAC_BYTES);
  }
}
