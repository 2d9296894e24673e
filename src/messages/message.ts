import { DeliveryStatus } from '../delivery/delivery';

/** A one-off email and its outcome. */
export interface Message {
  id: string;
  contactId: string | null;
  to: { email: string; name: string | null };
  from: { email: string; name: string | null };
  replyTo: string | null;
  subject: string;
  sendAt: string | null;
  createdAt: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
  sentAt: string | null;
}
