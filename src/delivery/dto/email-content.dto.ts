import { Type } from 'class-transformer';
import {
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** An address with an optional display name. */
export class EmailAddressDto {
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;
}

/** What an email says and who it is from; subject, html and text are templates. */
export class EmailContentDto {
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

  @ValidateNested()
  @Type(() => EmailAddressDto)
  from: EmailAddressDto;

  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  replyTo?: string | null;
}
