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
  /** Bumped whenever sending (re)starts, so re-enqueued batch jobs get fresh ids. */
  generation: Generated<number>;
  fanout_completed_at: string | null;
}

export interface DeliveryTable {
  id: string;
  org_id: string;
  campaign_id: string | null;
  message_id: string | null;
  contact_id: string | null;
  email: string;
  batch_no: number;
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  provider: string | null;
  provider_message_id: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  /** Which job holds the pending row, and until when: a row is sent by one job at a time. */
  claim_token?: string | null;
  claimed_until?: string | null;
}

export interface MessageTable {
  id: string;
  org_id: string;
  idempotency_key: string | null;
  request_hash: string | null;
  contact_id: string | null;
  to_email: string;
  to_name: string | null;
  from_email: string;
  from_name: string | null;
  reply_to: string | null;
  subject: string;
  html: string;
  text: string | null;
  send_at: string | null;
  created_at: string;
}

export interface Schema {
  orgs: OrgTable;
  contacts: ContactTable;
  contact_tags: ContactTagTable;
  campaigns: CampaignTable;
  deliveries: DeliveryTable;
  messages: MessageTable;
}
