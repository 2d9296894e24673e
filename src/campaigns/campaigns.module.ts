import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { OrgsModule } from '../orgs/orgs.module';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { CampaignsController } from './campaigns.controller';

@Module({
  imports: [OrgsModule, ContactsModule],
  controllers: [CampaignsController],
  providers: [CampaignRepository, CampaignService],
  exports: [CampaignRepository, CampaignService],
})
export class CampaignsModule {}
