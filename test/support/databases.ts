import { userInfo } from 'node:os';
import { Kysely, sql } from 'kysely';
import { connectDatabase, migrateToLatest } from '../../src/database/connect';
import { Schema } from '../../src/database/schema';

/** The PostgreSQL server the repository suite runs against, beside SQLite (as the OS user). */
const POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? `postgres://${userInfo().username}@127.0.0.1:5432/test`;

export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;
export type TestDatabaseKind = (typeof DATABASE_KINDS)[number];

export interface TestDatabase {
  db: Kysely<Schema>;
  drop(): Promise<void>;
}

/** A migrated, empty database of the given kind: in-memory SQLite, or a fresh PostgreSQL schema. */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const db = connectDatabase(':memory:');
    await migrateToLatest(db, ':memory:');

    return { db, drop: () => db.destroy() };
  }

  const schema = `${process.env.TEST_RUN_ID ?? 'test'}_${Math.random().toString(36).slice(2, 8)}`;
  const url = `${POSTGRES_URL}?schema=${schema}`;
  const db = connectDatabase(url);
  await migrateToLatest(db, url);

  return {
    db,
    drop: async () => {
      await sql`DROP SCHEMA ${sql.id(schema)} CASCADE`.execute(db);
      await db.destroy();
    },
  };
}
