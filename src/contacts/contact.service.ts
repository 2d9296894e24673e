import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PinoLogger } from 'nestjs-pino';
import {
  FieldProblem,
  InvalidInputException,
  ResourceNotFoundException,
  StateConflictException,
} from '../common/errors/api-error';
import { fieldProblems, VALIDATION_OPTIONS } from '../common/errors/validation';
import { Page, PageRequest, toPage } from '../common/http/pagination';
import { Contact } from './contact';
import { ContactRepository, ContactWrite, normalizeEmail } from './contact.repository';
import { UpdateContactDto } from './dto/update-contact.dto';
import { MAX_CONTACTS_PER_REQUEST, UpsertContactDto } from './dto/upsert-contact.dto';

export interface RejectedRow {
  index: number;
  details: FieldProblem[];
}

export interface BulkUpsertResult {
  created: number;
  updated: number;
  contacts: { index: number; id: string; created: boolean }[];
  rejected: RejectedRow[];
}

@Injectable()
export class ContactService {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ContactService.name);
  }

  /** One contact: invalid input is a 400; the answer says whether it was created. */
  async upsertOne(orgId: string, raw: unknown): Promise<{ contact: Contact; created: boolean }> {
    const checked = checkRow(raw);
    if ('details' in checked) throw new InvalidInputException(checked.details);

    const [outcome] = await this.contacts.upsertMany(orgId, [checked.write]);

    return { contact: await this.get(orgId, outcome.id), created: outcome.created };
  }

  /** Many contacts: valid rows are saved, each invalid one is reported with its index. */
  async upsertMany(orgId: string, rows: unknown): Promise<BulkUpsertResult> {
    if (!Array.isArray(rows)) {
      throw new InvalidInputException([{ field: 'contacts', reason: 'must be an array' }]);
    }
    if (rows.length === 0 || rows.length > MAX_CONTACTS_PER_REQUEST) {
      const reason = `must hold between 1 and ${MAX_CONTACTS_PER_REQUEST} contacts`;
      throw new InvalidInputException([{ field: 'contacts', reason }]);
    }

    const rejected: RejectedRow[] = [];
    const latestByEmail = new Map<string, { write: ContactWrite; indexes: number[] }>();
    rows.forEach((raw, index) => {
      const checked = checkRow(raw);
      if ('details' in checked) return rejected.push({ index, details: checked.details });

      // The same email twice in one request: fields of the later row win, the rest are kept.
      const key = normalizeEmail(checked.write.email);
      const earlier = latestByEmail.get(key);
      const write = earlier ? mergeWrites(earlier.write, checked.write) : checked.write;
      latestByEmail.set(key, { write, indexes: [...(earlier?.indexes ?? []), index] });
    });

    const unique = [...latestByEmail.values()];
    const outcomes = await this.contacts.upsertMany(
      orgId,
      unique.map((u) => u.write),
    );
    const contacts = unique
      .flatMap((u, i) => u.indexes.map((index) => ({ index, ...outcomes[i] })))
      .sort((a, b) => a.index - b.index);
    const created = outcomes.filter((o) => o.created).length;
    this.logger.info(
      {
        event: 'contacts.upserted',
        orgId,
        created,
        updated: outcomes.length - created,
        rejected: rejected.length,
      },
      'contacts upserted',
    );

    return { created, updated: outcomes.length - created, contacts, rejected };
  }

  async get(orgId: string, id: string): Promise<Contact> {
    const contact = await this.contacts.findById(orgId, id);
    if (!contact) throw new ResourceNotFoundException('Contact');

    return contact;
  }

  async list(orgId: string, page: PageRequest, tag?: string): Promise<Page<Contact>> {
    return toPage(await this.contacts.list(orgId, page, tag), page.limit);
  }

  async update(orgId: string, id: string, dto: UpdateContactDto): Promise<Contact> {
    if (dto.email !== undefined) {
      const owner = await this.contacts.findIdByEmail(orgId, dto.email);
      if (owner && owner !== id) throw new StateConflictException('Another contact has this email');
    }
    // An explicit null clears a field; email cannot be cleared.
    const write: Partial<ContactWrite> = {
      ...dto,
      email: dto.email ?? undefined,
      attributes: dto.attributes === null ? {} : dto.attributes,
      tags: dto.tags === null ? [] : dto.tags,
    };
    if (!(await this.contacts.update(orgId, id, write)))
      throw new ResourceNotFoundException('Contact');

    return this.get(orgId, id);
  }

  async unsubscribe(orgId: string, email: string): Promise<void> {
    await this.contacts.markUnsubscribed(orgId, email);
    this.logger.info({ event: 'contact.unsubscribed', orgId }, 'contact unsubscribed');
  }

  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.contacts.delete(orgId, id))) throw new ResourceNotFoundException('Contact');
  }
}

function mergeWrites(earlier: ContactWrite, later: ContactWrite): ContactWrite {
  const given = Object.entries(later).filter(([, value]) => value !== undefined);

  return { ...earlier, ...Object.fromEntries(given) } as ContactWrite;
}

function checkRow(raw: unknown): { write: ContactWrite } | { details: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { details: [{ field: '', reason: 'must be a contact object' }] };
  }
  const dto = plainToInstance(UpsertContactDto, raw);
  const errors = validateSync(dto, VALIDATION_OPTIONS);
  if (errors.length > 0) return { details: fieldProblems(errors) };

  return { write: { ...dto, email: dto.email.trim() } };
}
