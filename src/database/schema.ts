import { Generated } from 'kysely';

/**
 * Row types as stored. Timestamps are ISO-8601 UTC strings and JSON values are text, so the
 * same rows read back identically from SQLite and PostgreSQL.
 */
export interface OrgTable {
  id: string;
  name: string;
  api_key_hash: string;
  api_key_prefix: string;
  created_at: string;
}

export interface ContactTable {
  id: string;
  org_id: string;
  email: string;
  email_normalized: string;
  first_name: string | null;
  last_name: string | null;
  attributes: string;
  unsubscribed_at: string | null;
  suppressed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ContactTagTable {
  org_id: string;
  contact_id: string;
  tag: string;
}

export interface CampaignTable {
  id: string;
  org_id: string;
  name: string;
  subject: string;
  html: string;
  text: string | null;
  from_email: string;
  from_name: string | null;
  reply_to: string | null;
  audience_tags: string | null;
  status: string;
  status_reason: string | null;
  send_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  version: Generated<number>;
}

export interface Schema {
  orgs: OrgTable;
  contacts: ContactTable;
  contact_tags: ContactTagTable;
  campaigns: CampaignTable;
}
