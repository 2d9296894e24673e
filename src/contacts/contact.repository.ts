import { Inject, Injectable } from '@nestjs/common';
import { Kysely, Selectable, Transaction } from 'kysely';
import { PageRequest } from '../common/http/pagination';
import { newId, nowIso } from '../common/ids';
import { Database } from '../database/database';
import { ContactTable, Schema } from '../database/schema';
import { AttributeValue, Contact } from './contact';

/** The fields of one contact write; `undefined` leaves a stored value as it is. */
export interface ContactWrite {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  attributes?: Record<string, AttributeValue>;
  tags?: string[];
}

export type AudienceMember = Pick<
  Selectable<ContactTable>,
  'id' | 'email' | 'unsubscribed_at' | 'suppressed_at'
>;

export interface UpsertOutcome {
  id: string;
  created: boolean;
}

const CHUNK = 500;

@Injectable()
export class ContactRepository {
  constructor(@Inject(Database) private readonly db: Database) {}

  /**
   * Creates or updates contacts by case-insensitive email, in one transaction. The input must
   * not hold the same email twice. Outcomes come back in input order.
   */
  async upsertMany(orgId: string, writes: ContactWrite[]): Promise<UpsertOutcome[]> {
    return this.db.transaction().execute(async (trx) => {
      const outcomes: UpsertOutcome[] = [];
      for (let i = 0; i < writes.length; i += CHUNK) {
        outcomes.push(...(await this.upsertChunk(trx, orgId, writes.slice(i, i + CHUNK))));
      }

      return outcomes;
    });
  }

  async findById(orgId: string, id: string): Promise<Contact | null> {
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;

    return toContact(row, (await this.tagsOf(this.db, [row.id])).get(row.id) ?? []);
  }

  async list(orgId: string, page: PageRequest, tag?: string): Promise<Contact[]> {
    let query = this.db
      .selectFrom('contacts')
      .selectAll('contacts')
      .where('contacts.org_id', '=', orgId);
    if (tag !== undefined) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contact_tags')
            .select('contact_tags.contact_id')
            .whereRef('contact_tags.contact_id', '=', 'contacts.id')
            .where('contact_tags.tag', '=', tag),
        ),
      );
    }
    if (page.afterId) query = query.where('contacts.id', '>', page.afterId);
    const rows = await query
      .orderBy('contacts.id')
      .limit(page.limit + 1)
      .execute();
    const tags = await this.tagsOf(
      this.db,
      rows.map((r) => r.id),
    );

    return rows.map((row) => toContact(row, tags.get(row.id) ?? []));
  }

  /** Applies a partial update; false when no such contact exists in the org. */
  async update(orgId: string, id: string, write: Partial<ContactWrite>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('contacts')
        .set({ ...columnsOf(write), updated_at: nowIso() })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (write.tags) await this.replaceTags(trx, orgId, new Map([[id, write.tags]]));

      return true;
    });
  }

  async findIdByEmail(orgId: string, email: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('contacts')
      .select('id')
      .where('org_id', '=', orgId)
      .where('email_normalized', '=', normalizeEmail(email))
      .executeTakeFirst();

    return row?.id ?? null;
  }

  /** Marks the address unsubscribed, keeping a contact row for it as the suppression record. */
  async markUnsubscribed(orgId: string, email: string): Promise<void> {
    const now = nowIso();
    const updated = await this.db
      .updateTable('contacts')
      .set({ unsubscribed_at: now, updated_at: now })
      .where('org_id', '=', orgId)
      .where('email_normalized', '=', normalizeEmail(email))
      .where('unsubscribed_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;

    await this.db
      .insertInto('contacts')
      .values({
        id: newId(),
        org_id: orgId,
        email,
        email_normalized: normalizeEmail(email),
        first_name: null,
        last_name: null,
        attributes: '{}',
        unsubscribed_at: now,
        suppressed_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['org_id', 'email_normalized']).doNothing())
      .execute();
  }

  /**
   * One page of a campaign's audience in id order: every contact of the org, or those with any
   * of `tags`. Fan-out walks it page by page, so memory stays flat whatever the audience size.
   */
  audiencePage(
    orgId: string,
    tags: string[] | null,
    afterId: string | null,
    limit: number,
  ): Promise<AudienceMember[]> {
    let query = this.db
      .selectFrom('contacts')
      .select(['id', 'email', 'unsubscribed_at', 'suppressed_at'])
      .where('org_id', '=', orgId);
    if (tags) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('contact_tags')
            .select('contact_tags.contact_id')
            .whereRef('contact_tags.contact_id', '=', 'contacts.id')
            .where('contact_tags.tag', 'in', tags),
        ),
      );
    }
    if (afterId) query = query.where('id', '>', afterId);

    return query.orderBy('id').limit(limit).execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('contacts')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();

    return Number(result.numDeletedRows) > 0;
  }

  private async upsertChunk(
    trx: Transaction<Schema>,
    orgId: string,
    writes: ContactWrite[],
  ): Promise<UpsertOutcome[]> {
    const existing = await this.existingByEmail(
      trx,
      orgId,
      writes.map((w) => normalizeEmail(w.email)),
    );
    const now = nowIso();
    const rows: ContactTable[] = writes.map((write) => {
      const before = existing.get(normalizeEmail(write.email));

      return {
        id: before?.id ?? newId(),
        org_id: orgId,
        email: write.email,
        email_normalized: normalizeEmail(write.email),
        first_name: write.firstName !== undefined ? write.firstName : (before?.first_name ?? null),
        last_name: write.lastName !== undefined ? write.lastName : (before?.last_name ?? null),
        attributes: write.attributes
          ? JSON.stringify(write.attributes)
          : (before?.attributes ?? '{}'),
        unsubscribed_at: before?.unsubscribed_at ?? null,
        suppressed_at: before?.suppressed_at ?? null,
        created_at: before?.created_at ?? now,
        updated_at: now,
      };
    });

    await trx
      .insertInto('contacts')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['org_id', 'email_normalized']).doUpdateSet((eb) => ({
          email: eb.ref('excluded.email'),
          first_name: eb.ref('excluded.first_name'),
          last_name: eb.ref('excluded.last_name'),
          attributes: eb.ref('excluded.attributes'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();

    // A concurrent request may have created one of these emails between the read and the write.
    const stored = await this.existingByEmail(
      trx,
      orgId,
      rows.map((r) => r.email_normalized),
    );
    const tagWrites = new Map<string, string[]>();
    const outcomes = writes.map((write, i) => {
      const id = stored.get(rows[i].email_normalized)?.id ?? rows[i].id;
      if (write.tags) tagWrites.set(id, write.tags);

      return { id, created: !existing.has(rows[i].email_normalized) };
    });
    await this.replaceTags(trx, orgId, tagWrites);

    return outcomes;
  }

  private async existingByEmail(
    db: Kysely<Schema>,
    orgId: string,
    emails: string[],
  ): Promise<Map<string, Selectable<ContactTable>>> {
    if (emails.length === 0) return new Map();
    const rows = await db
      .selectFrom('contacts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('email_normalized', 'in', emails)
      .execute();

    return new Map(rows.map((row) => [row.email_normalized, row]));
  }

  private async replaceTags(
    trx: Kysely<Schema>,
    orgId: string,
    tagsByContact: Map<string, string[]>,
  ): Promise<void> {
    if (tagsByContact.size === 0) return;
    const ids = [...tagsByContact.keys()];
    await trx.deleteFrom('contact_tags').where('contact_id', 'in', ids).execute();

    const rows = [...tagsByContact].flatMap(([contactId, tags]) =>
      [...new Set(tags)].map((tag) => ({ org_id: orgId, contact_id: contactId, tag })),
    );
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('contact_tags')
        .values(rows.slice(i, i + CHUNK))
        .execute();
    }
  }

  private async tagsOf(db: Kysely<Schema>, contactIds: string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>();
    if (contactIds.length === 0) return tags;
    const rows = await db
      .selectFrom('contact_tags')
      .select(['contact_id', 'tag'])
      .where('contact_id', 'in', contactIds)
      .orderBy('tag')
      .execute();
    for (const row of rows)
      tags.set(row.contact_id, [...(tags.get(row.contact_id) ?? []), row.tag]);

    return tags;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function columnsOf(write: Partial<ContactWrite>): Partial<ContactTable> {
  const columns: Partial<ContactTable> = {};
  if (write.email !== undefined) {
    columns.email = write.email;
    columns.email_normalized = normalizeEmail(write.email);
  }
  if (write.firstName !== undefined) columns.first_name = write.firstName;
  if (write.lastName !== undefined) columns.last_name = write.lastName;
  if (write.attributes !== undefined) columns.attributes = JSON.stringify(write.attributes);

  return columns;
}

function toContact(row: Selectable<ContactTable>, tags: string[]): Contact {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
    tags,
    unsubscribedAt: row.unsubscribed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
