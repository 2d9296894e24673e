import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { CurrentOrg } from '../auth/current-org.decorator';
import { InvalidatesCache } from '../cache/cache.decorators';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { Page, pageRequest } from '../common/http/pagination';
import { Delivery } from '../delivery/delivery';
import { Org } from '../orgs/org';
import { CampaignWithStats } from './campaign';
import { CampaignSendingService } from './campaign-sending.service';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { SendCampaignDto } from './dto/send-campaign.dto';

@Controller('v1/campaigns/:id')
@UseGuards(OrgApiKeyGuard)
export class CampaignSendingController {
  constructor(private readonly sending: CampaignSendingService) {}

  @Post('send')
  @InvalidatesCache('campaigns')
  @HttpCode(202)
  send(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @Body() dto: SendCampaignDto,
  ): Promise<CampaignWithStats> {
    return this.sending.send(org.id, id, dto.sendAt);
  }

  @Post('cancel')
  @InvalidatesCache('campaigns')
  @HttpCode(200)
  cancel(@CurrentOrg() org: Org, @Param('id') id: string): Promise<CampaignWithStats> {
    return this.sending.cancel(org.id, id);
  }

  @Post('resume')
  @InvalidatesCache('campaigns')
  @HttpCode(202)
  resume(@CurrentOrg() org: Org, @Param('id') id: string): Promise<CampaignWithStats> {
    return this.sending.resume(org.id, id);
  }

  @Post('retry-failed')
  @InvalidatesCache('campaigns')
  @HttpCode(202)
  retryFailed(@CurrentOrg() org: Org, @Param('id') id: string) {
    return this.sending.retryFailed(org.id, id);
  }

  @Get('deliveries')
  deliveries(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
  ): Promise<Page<Delivery>> {
    return this.sending.deliveriesOf(org.id, id, pageRequest(query), query.status);
  }
}
