import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { CurrentOrg } from '../auth/current-org.decorator';
import { Cached, InvalidatesCache } from '../cache/cache.decorators';
import { OrgApiKeyGuard } from '../auth/org-api-key.guard';
import { Page, pageRequest } from '../common/http/pagination';
import { Org } from '../orgs/org';
import { Contact } from './contact';
import { BulkUpsertResult, ContactService } from './contact.service';
import { ListContactsQuery } from './dto/list-contacts.query';
import { UpdateContactDto } from './dto/update-contact.dto';

@Controller('v1/contacts')
@UseGuards(OrgApiKeyGuard)
export class ContactsController {
  constructor(private readonly contacts: ContactService) {}

  /**
   * `{ ...contact }` upserts one (201 created, 200 updated);
   * `{ "contacts": [...] }` upserts many and reports rejected rows (200).
   */
  @Post()
  @InvalidatesCache('contacts')
  async upsert(
    @CurrentOrg() org: Org,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Contact | BulkUpsertResult> {
    if (isBulk(body)) {
      res.status(200);

      return this.contacts.upsertMany(org.id, body.contacts);
    }

    const { contact, created } = await this.contacts.upsertOne(org.id, body);
    res.status(created ? 201 : 200);

    return contact;
  }

  @Get()
  @Cached('contacts')
  list(@CurrentOrg() org: Org, @Query() query: ListContactsQuery): Promise<Page<Contact>> {
    return this.contacts.list(org.id, pageRequest(query), query.tag);
  }

  @Get(':id')
  @Cached('contacts')
  get(@CurrentOrg() org: Org, @Param('id') id: string): Promise<Contact> {
    return this.contacts.get(org.id, id);
  }

  @Patch(':id')
  @InvalidatesCache('contacts')
  update(
    @CurrentOrg() org: Org,
    @Param('id') id: string,
    @Body() dto: UpdateContactDto,
  ): Promise<Contact> {
    return this.contacts.update(org.id, id, dto);
  }

  @Delete(':id')
  @InvalidatesCache('contacts')
  @HttpCode(204)
  delete(@CurrentOrg() org: Org, @Param('id') id: string): Promise<void> {
    return this.contacts.delete(org.id, id);
  }
}

function isBulk(body: unknown): body is { contacts: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'contacts' in body &&
    Object.keys(body).length === 1
  );
}
