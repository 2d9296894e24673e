import { Inject, Injectable } from '@nestjs/common';
import { Insertable, Selectable } from 'kysely';
import { Database } from '../database/database';
import { DeliveryTable, MessageTable } from '../database/schema';

export type MessageRow = Selectable<MessageTable>;

@Injectable()
export class MessageRepository {
  constructor(@Inject(Database) private readonly db: Database) {}

  /** Stores the message and its one delivery together. */
  async insert(message: MessageTable, delivery: Insertable<DeliveryTable>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('messages').values(message).execute();
      await trx.insertInto('deliveries').values(delivery).execute();
    });
  }

  findRow(orgId: string, id: string): Promise<MessageRow | undefined> {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByIdempotencyKey(orgId: string, key: string): Promise<MessageRow | undefined> {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  /** Frees an expired key so a new request may use it. */
  async releaseIdempotencyKey(id: string): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({ idempotency_key: null })
      .where('id', '=', id)
      .execute();
  }
}
