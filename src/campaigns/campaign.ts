export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export interface DeliveryStats {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

export interface Campaign {
  id: string;
  name: string;
  subject: string;
  html: string;
  text: string | null;
  from: { email: string; name: string | null };
  replyTo: string | null;
  audience: { tags: string[] } | null;
  status: CampaignStatus;
  statusReason: string | null;
  sendAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CampaignWithStats extends Campaign {
  stats: DeliveryStats;
}

/** Content and audience may change only before sending starts. */
export const EDITABLE_STATUSES: CampaignStatus[] = ['draft', 'scheduled'];
