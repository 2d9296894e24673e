import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { OrgsModule } from '../orgs/orgs.module';
import { MessageDispatcher } from './message-dispatcher';
import { MessageRepository } from './message.repository';
import { MessageService } from './message.service';
import { MessagesController } from './messages.controller';

@Module({
  imports: [OrgsModule, ContactsModule, DeliveryModule],
  controllers: [MessagesController],
  providers: [MessageRepository, MessageService, MessageDispatcher],
  exports: [MessageDispatcher, MessageRepository],
})
export class MessagesModule {}
