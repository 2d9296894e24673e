import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class PreviewCampaignDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  contactId: string;
}
