import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { CurrentOrg } from '../auth/current-org.decorator';
import { Cached, InvalidatesCache } from '../cache/cache.decorators';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { Page, PageQueryDto, pageRequest } from '../common/http/pagination';
import { Org } from '../orgs/org';
import { RenderedMessage } from '../templates/template-renderer';
import { Campaign, CampaignWithStats } from './campaign';
import { CampaignService } from './campaign.service';
import { CreateCampaignDto } from './dto/create-campaign.dto';
import { PreviewCampaignDto } from './dto/preview-campaign.dto';
import { UpdateCampaignDto } from './dto/update-campaign.dto';

/** Delivery progress changes campaigns without an API write: reads are cached briefly. */
const LIVE_TTL_MS = 5_000;

@Controller('v1/campaigns')
@UseGuards(OrgApiKeyGuard)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignService) {}

  @Post()
  @InvalidatesCache('campaigns')
  create(@CurrentOrg() org: Org, @Body() dto: CreateCampaignDto): Promise<CampaignWithStats> {
    return this.campaigns.create(org.id, dto);
  }

  @Get()
  @Cached('campaigns', { ttlMs: LIVE_TTL_MS })
  list(@CurrentOrg() org: Org, @Query() query: PageQueryDto): Promise<Page<Campaign>> {
    return this.campaigns.list(org.id, pageRequest(query));
  }

  @Get(':id')
  @Cached('campaigns', { ttlMs: LIVE_TTL_MS })
  get(@CurrentOrg() org: Org, @Param('id') id: string): Promise<CampaignWithStats> {
    return this.campaigns.get(org.id, id);
  }

  @Patch(':id')
  @InvalidatesCache('campaigns')
  update(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @Body() dto: UpdateCampaignDto,
  ): Promise<CampaignWithStats> {
    return this.campaigns.update(org.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @InvalidatesCache('campaigns')
  delete(@CurrentOrg() org: Org, @Param('id') id: string): Promise<void> {
    return this.campaigns.delete(org.id, id);
  }

  @Post(':id/preview')
  @HttpCode(200)
  preview(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @Body() dto: PreviewCampaignDto,
  ): Promise<RenderedMessage> {
    return this.campaigns.preview(org.id, id, dto.contactId);
  }
}
