import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { MessagesModule } from '../messages/messages.module';
import { EmailProcessor } from './email.processor';
import { RecoverySweep } from './recovery-sweep';

/** Consumes the email queue. Loaded in the `worker` and `all` roles only. */
@Module({
  imports: [DeliveryModule, CampaignsModule, MessagesModule],
  providers: [EmailProcessor, RecoverySweep],
  exports: [RecoverySweep],
})
export class WorkerModule {}
