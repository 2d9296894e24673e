/** The one BullMQ queue delivery runs on. Jobs carry ids only; the database has the rest. */
export const EMAIL_QUEUE = 'email';

export enum EmailJob {
  /** Starts or continues a campaign: snapshots the audience, then enqueues its batches. */
  CampaignKick = 'campaign.kick',
  CampaignBatch = 'campaign.batch',
  MessageSend = 'message.send',
}

export interface CampaignKickData {
  orgId: string;
  campaignId: string;
}

export interface CampaignBatchData {
  orgId: string;
  campaignId: string;
  batchNo: number;
}

export interface MessageSendData {
  orgId: string;
  messageId: string;
}

/**
 * Deterministic job ids: enqueuing the same work twice adds it once. The generation changes
 * whenever sending (re)starts, so a resumed campaign's batches are new jobs.
 */
export const jobIds = {
  kick: (campaignId: string, generation: number) => `kick_${campaignId}_${generation}`,
  batch: (campaignId: string, generation: number, batchNo: number) =>
    `batch_${campaignId}_${generation}_${batchNo}`,
  message: (messageId: string) => `message_${messageId}`,
};

/** Completed jobs are dropped; the delivery rows are the record. Failed ones stay a day. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
};
