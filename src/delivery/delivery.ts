export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'skipped' | 'cancelled';

export const DELIVERY_STATUSES: DeliveryStatus[] = [
  'pending',
  'sent',
  'failed',
  'skipped',
  'cancelled',
];

/** One recipient's delivery, as the API shows it. */
export interface Delivery {
  id: string;
  contactId: string | null;
  email: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

/** A pending delivery with what its message is personalized with. */
export interface PendingRecipient {
  deliveryId: string;
  contactId: string | null;
  email: string;
  firstName: string | null;
  lastName: string | null;
  attributes: Record<string, string | number | boolean>;
  /** Set when the recipient may no longer be sent to. */
  skipReason: string | null;
  attempts: number;
}

/** The deliveries one job sends: a campaign batch, or a one-off message. */
export type DeliveryScope = { campaignId: string; batchNo: number } | { messageId: string };

export interface Claim {
  token: string;
  recipients: PendingRecipient[];
  /** When nothing could be taken because another job holds it: until when it does. */
  heldUntil: number | null;
}
