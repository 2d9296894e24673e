import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/http/pagination';
import { DELIVERY_STATUSES, DeliveryStatus } from '../../delivery/delivery';

export class ListDeliveriesQuery extends PageQueryDto {
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}
