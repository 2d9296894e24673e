import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CurrentOrg } from '../auth/current-org.decorator';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { InvalidInputException } from '../common/errors/api-error';
import { Org } from '../orgs/org';
import { CreateMessageDto } from './dto/create-message.dto';
import { Message } from './message';
import { MessageService } from './message.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

@Controller('v1/messages')
@UseGuards(OrgApiKeyGuard)
export class MessagesController {
  constructor(private readonly messages: MessageService) {}

  @Post()
  @HttpCode(202)
  create(
    @CurrentOrg() org: Org,
    @Body() dto: CreateMessageDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<Message> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      const reason = 'must be 1 to 255 printable ASCII characters';
      throw new InvalidInputException([{ field: 'Idempotency-Key', reason }]);
    }

    return this.messages.create(org.id, dto, idempotencyKey);
  }

  @Get(':id')
  get(@CurrentOrg() org: Org, @Param('id') id: string): Promise<Message> {
    return this.messages.get(org.id, id);
  }
}
