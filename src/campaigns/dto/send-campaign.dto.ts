import { IsISO8601, IsOptional } from 'class-validator';

export class SendCampaignDto {
  /** When to start; absent or in the past: now. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  sendAt?: string;
}
