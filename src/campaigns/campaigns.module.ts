import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { OrgsModule } from '../orgs/orgs.module';
import { CampaignDispatcher } from './campaign-dispatcher';
import { CampaignSendingController } from './campaign-sending.controller';
import { CampaignSendingService } from './campaign-sending.service';
import { CampaignRepository } from './campaign.repository';
import { CampaignService } from './campaign.service';
import { CampaignsController } from './campaigns.controller';

@Module({
  imports: [OrgsModule, ContactsModule, DeliveryModule],
  controllers: [CampaignsController, CampaignSendingController],
  providers: [CampaignRepository, CampaignService, CampaignSendingService, CampaignDispatcher],
  exports: [CampaignRepository, CampaignService, CampaignSendingService, CampaignDispatcher],
})
export class CampaignsModule {}
