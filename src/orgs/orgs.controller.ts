import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { CurrentOrg } from '../auth/current-org.decorator';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { CreateOrgDto } from './dto/create-org.dto';
import { Org } from './org';
import { OrgService, OrgWithKey } from './org.service';

@Controller('v1/orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgService) {}

  /** Admin only. The API key is in this answer and nowhere else, ever. */
  @Post()
  @UseGuards(AdminTokenGuard)
  create(@Body() dto: CreateOrgDto): Promise<OrgWithKey> {
    return this.orgs.create(dto.name);
  }

  @Get()
  @UseGuards(AdminTokenGuard)
  async list(): Promise<{ data: Org[] }> {
    return { data: await this.orgs.list() };
  }

  @Post(':id/rotate-key')
  @HttpCode(200)
  @UseGuards(AdminTokenGuard)
  rotateKey(@Param('id', ParseUUIDPipe) id: string): Promise<OrgWithKey> {
    return this.orgs.rotateKey(id);
  }

  /** The org the caller's API key belongs to. */
  @Get('me')
  @UseGuards(OrgApiKeyGuard)
  me(@CurrentOrg() org: Org): Org {
    return org;
  }
}
