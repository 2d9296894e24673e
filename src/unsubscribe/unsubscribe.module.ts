import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { UnsubscribeController } from './unsubscribe.controller';
import { UnsubscribeTokens } from './unsubscribe-token';

@Module({
  imports: [ContactsModule],
  controllers: [UnsubscribeController],
  providers: [UnsubscribeTokens],
  exports: [UnsubscribeTokens],
})
export class UnsubscribeModule {}
