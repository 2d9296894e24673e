import { Module } from '@nestjs/common';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { OrgRepository } from './org.repository';
import { OrgService } from './org.service';
import { OrgsController } from './orgs.controller';

@Module({
  controllers: [OrgsController],
  providers: [OrgRepository, OrgService, AdminTokenGuard, OrgApiKeyGuard],
  exports: [OrgService, AdminTokenGuard, OrgApiKeyGuard],
})
export class OrgsModule {}
