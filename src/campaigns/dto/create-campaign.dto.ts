import { Type } from 'class-transformer';
import { EmailContentDto } from '../../delivery/dto/email-content.dto';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class AudienceDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  tags: string[];
}

export class CreateCampaignDto extends EmailContentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** Absent or null: every contact of the org. */
  @IsOptional()
  @ValidateNested()
  @Type(() => AudienceDto)
  audience?: AudienceDto | null;
}
