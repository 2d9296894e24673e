import { Kysely, Migration } from 'kysely';

export const initialMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('orgs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('api_key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('api_key_prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('email_normalized', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('unsubscribed_at', 'text')
      .addColumn('suppressed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('contacts_org_email_unique', ['org_id', 'email_normalized'])
      .execute();
    await db.schema
      .createIndex('contacts_org_id_idx')
      .on('contacts')
      .columns(['org_id', 'id'])
      .execute();

    await db.schema
      .createTable('contact_tags')
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) =>
        c.notNull().references('contacts.id').onDelete('cascade'),
      )
      .addColumn('tag', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
      .execute();
    await db.schema
      .createIndex('contact_tags_org_tag_idx')
      .on('contact_tags')
      .columns(['org_id', 'tag', 'contact_id'])
      .execute();

    await db.schema
      .createTable('campaigns')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('text', 'text')
      .addColumn('from_email', 'text', (c) => c.notNull())
      .addColumn('from_name', 'text')
      .addColumn('reply_to', 'text')
      .addColumn('audience_tags', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('send_at', 'text')
      .addColumn('started_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fanout_completed_at', 'text')
      .execute();
    await db.schema
      .createIndex('campaigns_org_id_idx')
      .on('campaigns')
      .columns(['org_id', 'id'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['campaigns', 'contact_tags', 'contacts', 'orgs']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
