import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { migrationProvider } from './migrations';
import { Schema } from './schema';

export type DatabaseKind = 'sqlite' | 'postgres';

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

/**
 * Opens a Kysely instance for a `postgres://` URL or a SQLite file path (`:memory:` works too).
 * A `schema` query parameter on a PostgreSQL URL selects (and creates) that schema, which lets
 * test runs share one database without seeing each other's tables.
 */
export function connectDatabase(url: string): Kysely<Schema> {
  if (databaseKind(url) === 'postgres') {
    return new Kysely<Schema>({ dialect: new PostgresDialect({ pool: postgresPool(url) }) });
  }

  const file = url.replace(/^sqlite:/, '');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');

  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function postgresPool(url: string): Pool {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const options = schema ? `-c search_path=${postgresSchema(url)}` : undefined;

  return new Pool({ connectionString: parsed.toString(), max: 10, options });
}

function postgresSchema(url: string): string | null {
  const schema = new URL(url).searchParams.get('schema');
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error('DATABASE_URL: the schema parameter must be a lower-case identifier');
  }

  return schema;
}

export async function migrateToLatest(db: Kysely<Schema>, url: string): Promise<string[]> {
  const schema = databaseKind(url) === 'postgres' ? postgresSchema(url) : null;
  if (schema) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);

  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));

  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
