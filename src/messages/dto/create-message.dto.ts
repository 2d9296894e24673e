import { Type } from 'class-transformer';
import {
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EmailAddressDto, EmailContentDto } from '../../delivery/dto/email-content.dto';

/** One email to one contact (`contactId`) or one address (`to`): exactly one of the two. */
export class CreateMessageDto extends EmailContentDto {
  @ValidateIf((o: CreateMessageDto) => o.to === undefined)
  @IsString({ message: 'is required when `to` is absent' })
  @IsNotEmpty()
  @MaxLength(64)
  contactId?: string;

  @ValidateIf((o: CreateMessageDto) => o.contactId === undefined || o.to !== undefined)
  @ValidateNested()
  @Type(() => EmailAddressDto)
  to?: EmailAddressDto;

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  sendAt?: string;
}
