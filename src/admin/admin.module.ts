import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { OrgsModule } from '../orgs/orgs.module';
import { AdminService } from './admin.service';

/** Operator access for the REPL and the CLI; it adds no HTTP routes. */
@Module({
  imports: [OrgsModule, CampaignsModule],
  providers: [AdminService],
  exports: [AdminService],
})
export class AdminModule {}
