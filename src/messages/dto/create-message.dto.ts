import { Type } from 'class-transformer';
import {
  IsEmail,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SenderDto } from '../../campaigns/dto/create-campaign.dto';

export class RecipientDto {
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;
}

/** One email to one contact (`contactId`) or one address (`to`): exactly one of the two. */
export class CreateMessageDto {
  @ValidateIf((o: CreateMessageDto) => o.to === undefined)
  @IsString({ message: 'is required when `to` is absent' })
  @IsNotEmpty()
  @MaxLength(64)
  contactId?: string;

  @ValidateIf((o: CreateMessageDto) => o.contactId === undefined || o.to !== undefined)
  @ValidateNested()
  @Type(() => RecipientDto)
  to?: RecipientDto;

  @ValidateNested()
  @Type(() => SenderDto)
  from: SenderDto;

  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  replyTo?: string | null;

  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  subject: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1_000_000)
  html: string;

  @IsOptional()
  @IsString()
  @MaxLength(1_000_000)
  text?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  sendAt?: string;
}
