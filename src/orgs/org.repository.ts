import { Inject, Injectable } from '@nestjs/common';
import { Selectable } from 'kysely';
import { Database } from '../database/database';
import { OrgTable } from '../database/schema';
import { Org } from './org';

@Injectable()
export class OrgRepository {
  constructor(@Inject(Database) private readonly db: Database) {}

  async insert(row: OrgTable): Promise<Org> {
    await this.db.insertInto('orgs').values(row).execute();

    return toOrg(row);
  }

  async findById(id: string): Promise<Org | null> {
    const row = await this.db
      .selectFrom('orgs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();

    return row ? toOrg(row) : null;
  }

  async findByKeyHash(hash: string): Promise<Org | null> {
    const row = await this.db
      .selectFrom('orgs')
      .selectAll()
      .where('api_key_hash', '=', hash)
      .executeTakeFirst();

    return row ? toOrg(row) : null;
  }

  async list(): Promise<Org[]> {
    const rows = await this.db.selectFrom('orgs').selectAll().orderBy('id').execute();

    return rows.map(toOrg);
  }

  async updateKeyHash(id: string, hash: string, prefix: string): Promise<boolean> {
    const result = await this.db
      .updateTable('orgs')
      .set({ api_key_hash: hash, api_key_prefix: prefix })
      .where('id', '=', id)
      .executeTakeFirst();

    return Number(result.numUpdatedRows) > 0;
  }
}

function toOrg(row: Selectable<OrgTable>): Org {
  return {
    id: row.id,
    name: row.name,
    apiKeyPrefix: row.api_key_prefix,
    createdAt: row.created_at,
  };
}
