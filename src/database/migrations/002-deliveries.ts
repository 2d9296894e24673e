import { Kysely, Migration } from 'kysely';

/** One row per recipient of a campaign or one-off message: the durable record of delivery. */
export const deliveriesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('idempotency_key', 'text')
      .addColumn('request_hash', 'text')
      .addColumn('contact_id', 'text')
      .addColumn('to_email', 'text', (c) => c.notNull())
      .addColumn('to_name', 'text')
      .addColumn('from_email', 'text', (c) => c.notNull())
      .addColumn('from_name', 'text')
      .addColumn('reply_to', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addColumn('send_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('messages_org_idempotency_unique', ['org_id', 'idempotency_key'])
      .execute();

    await db.schema
      .createTable('deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('campaign_id', 'text', (c) => c.references('campaigns.id').onDelete('cascade'))
      .addColumn('message_id', 'text', (c) => c.references('messages.id').onDelete('cascade'))
      .addColumn('contact_id', 'text')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('batch_no', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('provider', 'text')
      .addColumn('provider_message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('claim_token', 'text')
      .addColumn('claimed_until', 'text')
      .addUniqueConstraint('deliveries_campaign_contact_unique', ['campaign_id', 'contact_id'])
      .execute();
    await db.schema
      .createIndex('deliveries_campaign_batch_idx')
      .on('deliveries')
      .columns(['campaign_id', 'batch_no', 'status'])
      .execute();
    await db.schema
      .createIndex('deliveries_campaign_status_idx')
      .on('deliveries')
      .columns(['campaign_id', 'status', 'id'])
      .execute();
    await db.schema
      .createIndex('deliveries_message_idx')
      .on('deliveries')
      .column('message_id')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('deliveries').execute();
    await db.schema.dropTable('messages').execute();
  },
};
