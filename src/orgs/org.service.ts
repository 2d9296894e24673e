import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ResourceNotFoundException } from '../common/errors/api-error';
import { newId, nowIso } from '../common/ids';
import { hashApiKey, issueApiKey } from './api-key';
import { Org } from './org';
import { OrgRepository } from './org.repository';

/** How long a verified key is trusted in this process before it is looked up again. */
const KEY_MEMO_MS = 10_000;
const KEY_MEMO_MAX = 10_000;

export interface OrgWithKey {
  org: Org;
  apiKey: string;
}

@Injectable()
export class OrgService {
  private readonly keyMemo = new Map<string, { org: Org; until: number }>();

  constructor(
    private readonly orgs: OrgRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(OrgService.name);
  }

  /** Creates an org and returns its API key; only the key's hash is stored. */
  async create(name: string): Promise<OrgWithKey> {
    const key = issueApiKey();
    const org = await this.orgs.insert({
      id: newId(),
      name,
      api_key_hash: key.hash,
      api_key_prefix: key.prefix,
      created_at: nowIso(),
    });
    this.logger.info({ event: 'org.created', orgId: org.id }, 'org created');

    return { org, apiKey: key.key };
  }

  async rotateKey(orgId: string): Promise<OrgWithKey> {
    const org = await this.get(orgId);
    const key = issueApiKey();
    await this.orgs.updateKeyHash(org.id, key.hash, key.prefix);
    this.keyMemo.clear();
    this.logger.info({ event: 'org.key_rotated', orgId: org.id }, 'org API key rotated');

    return { org: { ...org, apiKeyPrefix: key.prefix }, apiKey: key.key };
  }

  async get(orgId: string): Promise<Org> {
    const org = await this.orgs.findById(orgId);
    if (!org) throw new ResourceNotFoundException('Org');

    return org;
  }

  list(): Promise<Org[]> {
    return this.orgs.list();
  }

  /** The org an API key belongs to, or null for an unknown key. */
  async authenticate(apiKey: string): Promise<Org | null> {
    const hash = hashApiKey(apiKey);
    const memo = this.keyMemo.get(hash);
    if (memo && memo.until > Date.now()) return memo.org;

    const org = await this.orgs.findByKeyHash(hash);
    if (org) this.remember(hash, org);

    return org;
  }

  private remember(hash: string, org: Org): void {
    if (this.keyMemo.size >= KEY_MEMO_MAX) this.keyMemo.clear();
    this.keyMemo.set(hash, { org, until: Date.now() + KEY_MEMO_MS });
  }
}
