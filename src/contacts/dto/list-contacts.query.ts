import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';

export class ListContactsQuery extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tag?: string;
}
