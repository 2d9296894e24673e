import { Inject, Injectable } from '@nestjs/common';
import { Selectable, Updateable } from 'kysely';
import { PageRequest } from '../common/http/pagination';
import { nowIso } from '../common/ids';
import { Database } from '../database/database';
import { CampaignTable } from '../database/schema';
import { Campaign, CampaignStatus, DeliveryStats } from './campaign';

export type CampaignRow = Selectable<CampaignTable>;

@Injectable()
export class CampaignRepository {
  constructor(@Inject(Database) private readonly db: Database) {}

  async insert(row: Omit<CampaignTable, 'generation'>): Promise<void> {
    await this.db.insertInto('campaigns').values(row).execute();
  }

  findRow(orgId: string, id: string): Promise<CampaignRow | undefined> {
    return this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async list(orgId: string, page: PageRequest): Promise<CampaignRow[]> {
    let query = this.db.selectFrom('campaigns').selectAll().where('org_id', '=', orgId);
    if (page.afterId) query = query.where('id', '>', page.afterId);

    return query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
  }

  /** Rows in one of the given statuses, for the start-up and periodic recovery sweep. */
  listByStatus(statuses: CampaignStatus[]): Promise<CampaignRow[]> {
    return this.db.selectFrom('campaigns').selectAll().where('status', 'in', statuses).execute();
  }

  /**
   * Updates the campaign only while it is in one of `from`; the compare-and-set that makes
   * state transitions safe when two requests or workers race. False when it was not.
   */
  async updateIf(
    orgId: string,
    id: string,
    from: CampaignStatus[],
    changes: Updateable<CampaignTable>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ ...changes, updated_at: nowIso() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();

    return Number(result.numUpdatedRows) > 0;
  }

  async deleteIf(orgId: string, id: string, from: CampaignStatus[]): Promise<boolean> {
    const result = await this.db
      .deleteFrom('campaigns')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();

    return Number(result.numDeletedRows) > 0;
  }

  async stats(campaignId: string): Promise<DeliveryStats> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('count')])
      .where('campaign_id', '=', campaignId)
      .groupBy('status')
      .execute();
    const stats: DeliveryStats = {
      total: 0,
      pending: 0,
      sent: 0,
      failed: 0,
      skipped: 0,
      cancelled: 0,
    };
    for (const row of rows) {
      const count = Number(row.count);
      stats.total += count;
      if (row.status in stats) stats[row.status as keyof DeliveryStats] += count;
    }

    return stats;
  }
}

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    html: row.html,
    text: row.text,
    from: { email: row.from_email, name: row.from_name },
    replyTo: row.reply_to,
    audience: row.audience_tags ? { tags: JSON.parse(row.audience_tags) as string[] } : null,
    status: row.status as CampaignStatus,
    statusReason: row.status_reason,
    sendAt: row.send_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
