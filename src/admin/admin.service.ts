import { Inject, Injectable } from '@nestjs/common';
import { Migrator } from 'kysely';
import { Campaign, CampaignWithStats } from '../campaigns/campaign';
import { CampaignSendingService } from '../campaigns/campaign-sending.service';
import { CampaignService } from '../campaigns/campaign.service';
import { CacheInvalidator } from '../cache/cache-invalidator';
import { InvalidInputException } from '../common/errors/api-error';
import { DEFAULT_PAGE_SIZE, Page, PageRequest } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { migrateToLatest } from '../database/connect';
import { Database } from '../database/database';
import { migrationProvider } from '../database/migrations';
import { Org } from '../orgs/org';
import { OrgService, OrgWithKey } from '../orgs/org.service';

export interface MigrationReport {
  /** Applied by this call; empty when the schema was already current. */
  applied: string[];
  /** The newest migration the database now has. */
  current: string | null;
}

/**
 * What an operator does by hand: the REPL and the CLI both call this, so the two never drift
 * apart. It trusts its caller (no org API key), so it is never exposed over HTTP.
 */
@Injectable()
export class AdminService {
  constructor(
    private readonly orgs: OrgService,
    private readonly campaigns: CampaignService,
    private readonly sending: CampaignSendingService,
    private readonly cache: CacheInvalidator,
    private readonly config: AppConfig,
    @Inject(Database) private readonly db: Database,
  ) {}

  /** Applies pending migrations (the service also does so at start unless told not to). */
  async migrate(): Promise<MigrationReport> {
    const applied = await migrateToLatest(this.db, this.config.databaseUrl);
    const migrations = await new Migrator({
      db: this.db,
      provider: migrationProvider,
    }).getMigrations();
    const executed = migrations.filter((m) => m.executedAt !== undefined);

    return { applied, current: executed.at(-1)?.name ?? null };
  }

  /** The answer holds the org's API key: the only time it can be read. */
  async createOrg(name: string): Promise<OrgWithKey> {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed.length === 0 || trimmed.length > 200) {
      throw new InvalidInputException([{ field: 'name', reason: 'must be 1 to 200 characters' }]);
    }

    return this.orgs.create(trimmed);
  }

  listOrgs(): Promise<Org[]> {
    return this.orgs.list();
  }

  /** Issues a new key; the old one stops working at once. */
  rotateKey(orgId: string): Promise<OrgWithKey> {
    return this.orgs.rotateKey(orgId);
  }

  /** An unknown org is an error here, not an empty list, so a mistyped id is noticed. */
  async listCampaigns(
    orgId: string,
    page: PageRequest = { limit: DEFAULT_PAGE_SIZE, afterId: null },
  ): Promise<Page<Campaign>> {
    await this.orgs.get(orgId);

    return this.campaigns.list(orgId, page);
  }

  async getCampaign(orgId: string, id: string): Promise<CampaignWithStats> {
    await this.orgs.get(orgId);

    return this.campaigns.get(orgId, id);
  }

  /** Sends a draft now, or at `sendAt` (ISO 8601), exactly as POST /v1/campaigns/:id/send. */
  async sendCampaign(orgId: string, id: string, sendAt?: string): Promise<CampaignWithStats> {
    if (sendAt !== undefined && Number.isNaN(Date.parse(sendAt))) {
      throw new InvalidInputException([
        { field: 'sendAt', reason: 'must be an ISO 8601 date-time' },
      ]);
    }

    return this.changed(orgId, await this.sending.send(orgId, id, sendAt));
  }

  async cancelCampaign(orgId: string, id: string): Promise<CampaignWithStats> {
    return this.changed(orgId, await this.sending.cancel(orgId, id));
  }

  async resumeCampaign(orgId: string, id: string): Promise<CampaignWithStats> {
    return this.changed(orgId, await this.sending.resume(orgId, id));
  }

  async retryFailed(orgId: string, id: string): Promise<CampaignWithStats> {
    return this.changed(orgId, await this.sending.retryFailed(orgId, id));
  }

  /** Writes made here skip the HTTP layer that would otherwise retire cached reads. */
  private async changed<T>(orgId: string, result: T): Promise<T> {
    await this.cache.invalidate(orgId, ['campaigns']);

    return result;
  }
}
