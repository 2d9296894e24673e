import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

export interface UnsubscribeTarget {
  orgId: string;
  email: string;
}

/**
 * Unsubscribe tokens are AES-256-GCM sealed `{orgId, email}`: unforgeable (the tag fails on any
 * change) and opaque (an address never appears in a link or a provider's click logs).
 */
@Injectable()
export class UnsubscribeTokens {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHash('sha256').update(`unsubscribe:${config.appSecret}`).digest();
  }

  seal(target: UnsubscribeTarget): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const payload = JSON.stringify([target.orgId, target.email.toLowerCase()]);
    const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);

    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The target of a token this service issued, or null for anything else. */
  open(token: string): UnsubscribeTarget | null {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < 29 || raw.length > 1024) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      const [orgId, email] = JSON.parse(plain.toString('utf8')) as [string, string];

      return { orgId, email };
    } catch {
      return null;
    }
  }

  link(target: UnsubscribeTarget): string {
    return `${this.config.publicBaseUrl}/v1/unsubscribe/${this.seal(target)}`;
  }

  /** RFC 8058 one-click headers for a message to this recipient. */
  headers(target: UnsubscribeTarget): Record<string, string> {
    return {
      'List-Unsubscribe': `<${this.link(target)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
  }
}
