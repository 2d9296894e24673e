import { Updateable } from 'kysely';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import {
  InvalidInputException,
  ResourceNotFoundException,
  StateConflictException,
} from '../common/errors/api-error';
import { Page, PageRequest, toPage } from '../common/http/pagination';
import { newId, nowIso } from '../common/ids';
import { ContactService } from '../contacts/contact.service';
import { CampaignTable } from '../database/schema';
import { RenderedMessage, TemplateRenderer } from '../templates/template-renderer';
import { Campaign, CampaignWithStats, EDITABLE_STATUSES } from './campaign';
import { CampaignRepository, toCampaign } from './campaign.repository';
import { CreateCampaignDto } from './dto/create-campaign.dto';
import { UpdateCampaignDto } from './dto/update-campaign.dto';

@Injectable()
export class CampaignService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly contacts: ContactService,
    private readonly templates: TemplateRenderer,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(CampaignService.name);
  }

  async create(orgId: string, dto: CreateCampaignDto): Promise<CampaignWithStats> {
    this.checkTemplates(dto);
    const now = nowIso();
    const id = newId();
    await this.campaigns.insert({
      id,
      org_id: orgId,
      status: 'draft',
      status_reason: null,
      send_at: null,
      started_at: null,
      completed_at: null,
      fanout_completed_at: null,
      created_at: now,
      updated_at: now,
      ...contentColumns(dto as Required<CreateCampaignDto>),
    } as Omit<CampaignTable, 'generation'>);
    this.logger.info({ event: 'campaign.created', orgId, campaignId: id }, 'campaign created');

    return this.get(orgId, id);
  }

  async get(orgId: string, id: string): Promise<CampaignWithStats> {
    const row = await this.campaigns.findRow(orgId, id);
    if (!row) throw new ResourceNotFoundException('Campaign');

    return { ...toCampaign(row), stats: await this.campaigns.stats(row.id) };
  }

  async list(orgId: string, page: PageRequest): Promise<Page<Campaign>> {
    const rows = await this.campaigns.list(orgId, page);

    return toPage(rows.map(toCampaign), page.limit);
  }

  async update(orgId: string, id: string, dto: UpdateCampaignDto): Promise<CampaignWithStats> {
    this.checkTemplates(dto);
    const changes = contentColumns(dto);
    if (!(await this.campaigns.updateIf(orgId, id, EDITABLE_STATUSES, changes))) {
      await this.get(orgId, id);
      throw new StateConflictException('A campaign can be changed only before it starts sending');
    }

    return this.get(orgId, id);
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.campaigns.deleteIf(orgId, id, ['draft']))) {
      await this.get(orgId, id);
      throw new StateConflictException('Only a draft campaign can be deleted');
    }
  }

  /** What the campaign renders for one of the org's contacts. */
  async preview(orgId: string, id: string, contactId: string): Promise<RenderedMessage> {
    const campaign = await this.get(orgId, id);
    const contact = await this.contacts.get(orgId, contactId);

    return this.templates.render(this.templates.compile(campaign), contact);
  }

  private checkTemplates(dto: UpdateCampaignDto): void {
    const problems = this.templates.check(dto);
    if (problems.length > 0) throw new InvalidInputException(problems);
  }
}

/** The columns a create or update writes; fields absent from the DTO are left out. */
function contentColumns(dto: UpdateCampaignDto): Updateable<CampaignTable> {
  const columns: Updateable<CampaignTable> = {};
  if (dto.name !== undefined) columns.name = dto.name;
  if (dto.subject !== undefined) columns.subject = dto.subject;
  if (dto.html !== undefined) columns.html = dto.html;
  if (dto.text !== undefined) columns.text = dto.text;
  if (dto.from) {
    columns.from_email = dto.from.email;
    columns.from_name = dto.from.name ?? null;
  }
  if (dto.replyTo !== undefined) columns.reply_to = dto.replyTo;
  if (dto.audience !== undefined) {
    columns.audience_tags = dto.audience ? JSON.stringify([...new Set(dto.audience.tags)]) : null;
  }

  return columns;
}
