import { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './001-initial';
import { deliveriesMigration } from './002-deliveries';

/** Migrations in the order they apply; names sort in that order too. */
const migrations: Record<string, Migration> = {
  '001-initial': initialMigration,
  '002-deliveries': deliveriesMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
