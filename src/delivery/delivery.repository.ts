import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import { PageRequest } from '../common/http/pagination';
import { nowIso } from '../common/ids';
import { Database } from '../database/database';
import { DeliveryTable } from '../database/schema';
import { SentMessage } from '../email/email-batch';
import { Claim, Delivery, DeliveryScope, DeliveryStatus, PendingRecipient } from './delivery';

const CHUNK = 500;

@Injectable()
export class DeliveryRepository {
  constructor(@Inject(Database) private readonly db: Database) {}

  /** Records recipients; a campaign's contact already recorded is left as it is. */
  async insertMany(rows: Insertable<DeliveryTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.db
        .insertInto('deliveries')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
        .execute();
    }
  }

  /** Where an interrupted fan-out resumes: the last contact and batch it recorded. */
  async lastSnapshotted(
    campaignId: string,
  ): Promise<{ contactId: string; batchNo: number } | null> {
    const row = await this.db
      .selectFrom('deliveries')
      .select(['contact_id', 'batch_no'])
      .where('campaign_id', '=', campaignId)
      .orderBy('contact_id', 'desc')
      .limit(1)
      .executeTakeFirst();

    return row?.contact_id ? { contactId: row.contact_id, batchNo: row.batch_no } : null;
  }

  /** Batches of the campaign that still have pending deliveries. */
  async pendingBatches(campaignId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .select('batch_no')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .orderBy('batch_no')
      .execute();

    return rows.map((r) => r.batch_no);
  }

  async hasPending(campaignId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('deliveries')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .limit(1)
      .executeTakeFirst();

    return row !== undefined;
  }

  /**
   * Takes the pending deliveries of a batch (or of a message) for one job for `leaseMs`, so a
   * job enqueued twice, or re-enqueued after Redis lost its data, never sends a row twice while
   * another holds it. A holder that dies leaves a lease that simply runs out.
   */
  async claim(scope: DeliveryScope, leaseMs: number): Promise<Claim> {
    const token = randomUUID();
    const now = nowIso();
    await this.db
      .updateTable('deliveries as d')
      .where(inScope(scope))
      .set({ claim_token: token, claimed_until: new Date(Date.now() + leaseMs).toISOString() })
      .where('d.status', '=', 'pending')
      .where((eb) => eb.or([eb('d.claimed_until', 'is', null), eb('d.claimed_until', '<', now)]))
      .execute();

    const recipients = await this.pendingRecipients(scope, token);
    if (recipients.length > 0) return { token, recipients, heldUntil: null };

    const held = await this.db
      .selectFrom('deliveries as d')
      .where(inScope(scope))
      .select((eb) => eb.fn.max('d.claimed_until').as('until'))
      .where('d.status', '=', 'pending')
      .executeTakeFirst();

    return { token, recipients, heldUntil: held?.until ? Date.parse(held.until) : null };
  }

  /** Lets go of what a claim still holds, so a later run can take it at once. */
  async release(scope: DeliveryScope, token: string): Promise<void> {
    await this.db
      .updateTable('deliveries as d')
      .where(inScope(scope))
      .set({ claim_token: null, claimed_until: null })
      .where('d.claim_token', '=', token)
      .where('d.status', '=', 'pending')
      .execute();
  }

  /** Records accepted messages, one statement per provider message id, in one transaction. */
  async markSent(sent: SentMessage[], provider: string): Promise<void> {
    if (sent.length === 0) return;
    const byProviderId = new Map<string | null, string[]>();
    for (const m of sent) {
      const ids = byProviderId.get(m.providerMessageId) ?? [];
      ids.push(m.deliveryId);
      byProviderId.set(m.providerMessageId, ids);
    }
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      for (const [providerMessageId, ids] of byProviderId) {
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx
            .updateTable('deliveries')
            .set((eb) => ({
              status: 'sent',
              provider,
              provider_message_id: providerMessageId,
              attempts: eb('attempts', '+', 1),
              last_error: null,
              sent_at: now,
              updated_at: now,
            }))
            .where('id', 'in', ids.slice(i, i + CHUNK))
            .execute();
        }
      }
    });
  }

  /** Ends deliveries for good with a reason (`failed`, `skipped`). */
  async markFinal(
    ids: string[],
    status: Extract<DeliveryStatus, 'failed' | 'skipped'>,
    reason: string,
    provider: string | null,
    countAttempt: boolean,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        status,
        provider,
        last_error: reason.slice(0, 1000),
        attempts: countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
        updated_at: nowIso(),
      }))
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Counts a failed attempt on deliveries that stay pending for a retry. */
  async recordAttempt(ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('deliveries')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        last_error: error.slice(0, 1000),
        updated_at: nowIso(),
      }))
      .where('id', 'in', ids)
      .execute();
  }

  async cancelPending(campaignId: string): Promise<number> {
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'cancelled', updated_at: nowIso() })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .executeTakeFirst();

    return Number(result.numUpdatedRows);
  }

  /** Puts failed deliveries back to pending with fresh attempts; returns how many. */
  async requeueFailed(campaignId: string): Promise<number> {
    // A row settled inside a claim keeps that lease (release frees pending rows only).
    const unclaimed = { claim_token: null, claimed_until: null };
    const result = await this.db
      .updateTable('deliveries')
      .set({ status: 'pending', attempts: 0, ...unclaimed, updated_at: nowIso() })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'failed')
      .executeTakeFirst();

    return Number(result.numUpdatedRows);
  }

  async list(campaignId: string, page: PageRequest, status?: DeliveryStatus): Promise<Delivery[]> {
    let query = this.db.selectFrom('deliveries').selectAll().where('campaign_id', '=', campaignId);
    if (status) query = query.where('status', '=', status);
    if (page.afterId) query = query.where('id', '>', page.afterId);
    const rows = await query
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();

    return rows.map(toDelivery);
  }

  /** Who a delivery went to, for its unsubscribe link. */
  async recipientOf(id: string): Promise<{ orgId: string; email: string } | null> {
    const row = await this.db
      .selectFrom('deliveries')
      .select(['org_id', 'email'])
      .where('id', '=', id)
      .executeTakeFirst();

    return row ? { orgId: row.org_id, email: row.email } : null;
  }

  async findForMessage(messageId: string): Promise<Delivery | null> {
    const row = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();

    return row ? toDelivery(row) : null;
  }

  /** Message ids with a delivery still pending: what recovery re-enqueues. */
  async pendingMessages(
    limit: number,
  ): Promise<{ id: string; orgId: string; sendAt: string | null }[]> {
    return this.db
      .selectFrom('deliveries as d')
      .innerJoin('messages as m', 'm.id', 'd.message_id')
      .select(['m.id as id', 'm.org_id as orgId', 'm.send_at as sendAt'])
      .where('d.status', '=', 'pending')
      .limit(limit)
      .execute();
  }

  private async pendingRecipients(
    scope: DeliveryScope,
    token: string,
  ): Promise<PendingRecipient[]> {
    const rows = await this.db
      .selectFrom('deliveries as d')
      .where(inScope(scope))
      .leftJoin('contacts as c', 'c.id', 'd.contact_id')
      .select([
        'd.id',
        'd.contact_id',
        'd.email',
        'd.attempts',
        'c.id as current_contact_id',
        'c.first_name',
        'c.last_name',
        'c.attributes',
        'c.unsubscribed_at',
        'c.suppressed_at',
      ])
      .where('d.claim_token', '=', token)
      .where('d.status', '=', 'pending')
      .orderBy('d.id')
      .execute();

    return rows.map((row) => ({
      deliveryId: row.id,
      contactId: row.contact_id,
      email: row.email,
      firstName: row.first_name,
      lastName: row.last_name,
      attributes: row.attributes
        ? (JSON.parse(row.attributes) as PendingRecipient['attributes'])
        : {},
      skipReason: skipReason(row),
      attempts: row.attempts,
    }));
  }
}

/** The rows one job sends: a campaign batch, or a one-off message's delivery. */
function inScope(scope: DeliveryScope) {
  return (eb: ExpressionBuilder<{ d: DeliveryTable }, 'd'>): Expression<SqlBool> =>
    'messageId' in scope
      ? eb('d.message_id', '=', scope.messageId)
      : eb.and([eb('d.campaign_id', '=', scope.campaignId), eb('d.batch_no', '=', scope.batchNo)]);
}

function skipReason(row: {
  contact_id: string | null;
  current_contact_id: string | null;
  unsubscribed_at: string | null;
  suppressed_at: string | null;
}): string | null {
  if (row.contact_id && !row.current_contact_id) return 'contact deleted';
  if (row.unsubscribed_at) return 'unsubscribed';
  if (row.suppressed_at) return 'suppressed';

  return null;
}

function toDelivery(row: Selectable<DeliveryTable>): Delivery {
  return {
    id: row.id,
    contactId: row.contact_id,
    email: row.email,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    lastError: row.last_error,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}
