import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { UnsubscribeController } from './unsubscribe.controller';

/** The public one-click unsubscribe endpoint; its tokens are issued by the delivery module. */
@Module({
  imports: [ContactsModule, DeliveryModule],
  controllers: [UnsubscribeController],
})
export class UnsubscribeModule {}
