import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { ContactRepository } from './contact.repository';
import { ContactService } from './contact.service';
import { ContactsController } from './contacts.controller';

@Module({
  imports: [OrgsModule],
  controllers: [ContactsController],
  providers: [ContactRepository, ContactService],
  exports: [ContactRepository, ContactService],
})
export class ContactsModule {}
