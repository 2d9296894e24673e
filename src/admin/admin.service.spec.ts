import { Test } from '@nestjs/testing';
import { CacheInvalidator } from '../cache/cache-invalidator';
import { CampaignSendingService } from '../campaigns/campaign-sending.service';
import { CampaignService } from '../campaigns/campaign.service';
import { InvalidInputException, ResourceNotFoundException } from '../common/errors/api-error';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import { OrgService } from '../orgs/org.service';
import { AdminService } from './admin.service';
import { describeFailure, parseInvocation } from './admin-commands';

const ORG = { id: 'org-1', name: 'Acme', apiKeyPrefix: 'cm_x', createdAt: '2026-01-01T00:00:00Z' };

/** Knows one org; records the names it was asked to create. */
class FakeOrgService {
  readonly created: string[] = [];

  async create(name: string) {
    this.created.push(name);

    return { org: { ...ORG, name }, apiKey: 'cm_key' };
  }

  async get(id: string) {
    if (id !== ORG.id) throw new ResourceNotFoundException('Org');

    return ORG;
  }
}

class FakeCampaignService {
  readonly listed: string[] = [];

  async list(orgId: string) {
    this.listed.push(orgId);

    return { data: [], nextCursor: null };
  }
}

/** Records the sends it was asked for and answers with a campaign in `sending`. */
class FakeSendingService {
  readonly sent: [string, string, string | undefined][] = [];

  async send(orgId: string, id: string, sendAt?: string) {
    this.sent.push([orgId, id, sendAt]);

    return { id, status: 'sending' };
  }
}

describe('AdminService', () => {
  let admin: AdminService;
  let sending: FakeSendingService;
  let invalidated: [string, string[]][];
  let orgs: FakeOrgService;
  let campaigns: FakeCampaignService;

  beforeEach(async () => {
    orgs = new FakeOrgService();
    campaigns = new FakeCampaignService();
    sending = new FakeSendingService();
    invalidated = [];
    const moduleRef = await Test.createTestingModule({
      providers: [
        AdminService,
        { provide: OrgService, useValue: orgs },
        { provide: CampaignService, useValue: campaigns },
        { provide: CampaignSendingService, useValue: sending },
        {
          provide: CacheInvalidator,
          useValue: {
            invalidate: async (orgId: string, r: string[]) => invalidated.push([orgId, r]),
          },
        },
        { provide: AppConfig, useValue: { databaseUrl: ':memory:' } },
        { provide: Database, useValue: {} },
      ],
    }).compile();
    admin = moduleRef.get(AdminService);
  });

  it("sends a campaign as the API does and retires the org's cached campaign reads", async () => {
    const at = '2030-01-01T09:00:00.000Z';
    await expect(admin.sendCampaign(ORG.id, 'c-1', at)).resolves.toMatchObject({
      status: 'sending',
    });

    expect(sending.sent).toEqual([[ORG.id, 'c-1', at]]);
    expect(invalidated).toEqual([[ORG.id, ['campaigns']]]);
  });

  it('refuses a sendAt that is not a date, naming the field, and sends nothing', async () => {
    await expect(admin.sendCampaign(ORG.id, 'c-1', 'tomorrow')).rejects.toThrow(
      InvalidInputException,
    );
    expect(sending.sent).toEqual([]);
  });

  it('creates an org under its trimmed name', async () => {
    await expect(admin.createOrg('  Acme  ')).resolves.toMatchObject({ apiKey: 'cm_key' });

    expect(orgs.created).toEqual(['Acme']);
  });

  it('refuses a blank org name naming the field, and creates nothing', async () => {
    const failure = admin.createOrg('   ');

    await expect(failure).rejects.toThrow(InvalidInputException);
    await expect(
      failure.catch((error: InvalidInputException) => error.getResponse()),
    ).resolves.toMatchObject({ details: [{ field: 'name' }] });

    expect(orgs.created).toEqual([]);
  });

  it("answers not found for an unknown org's campaigns instead of an empty list", async () => {
    await expect(admin.listCampaigns('nope')).rejects.toThrow(ResourceNotFoundException);

    expect(campaigns.listed).toEqual([]);
  });

  it("lists a known org's campaigns from the first page", async () => {
    await expect(admin.listCampaigns(ORG.id)).resolves.toEqual({ data: [], nextCursor: null });

    expect(campaigns.listed).toEqual([ORG.id]);
  });
});

describe('admin command line', () => {
  it('resolves a known command with its arguments', () => {
    const invocation = parseInvocation(['org:rotate-key', 'org-1']);

    expect(invocation.name).toBe('org:rotate-key');
    expect(invocation.args).toEqual(['org-1']);
  });

  it.each([
    [[], /^no command given; commands: migrate, /],
    [['toString'], /^unknown command "toString"/],
    [['org:create'], /^usage: org:create <name>$/],
    [['org:list', 'extra'], /^usage: org:list$/],
    [['campaign:send', 'org-1'], /^usage: campaign:send <orgId> <id> \[sendAt\]$/],
  ])('refuses %j with a one-line message', (argv, message) => {
    expect(() => parseInvocation(argv)).toThrow(message);
  });

  it('takes an optional argument when given and leaves it out when not', () => {
    expect(parseInvocation(['campaign:send', 'o', 'c']).args).toEqual(['o', 'c']);
    expect(parseInvocation(['campaign:send', 'o', 'c', '2030-01-01T00:00:00Z']).args).toHaveLength(3);
  });

  it('describes a 400 with its fields on one line', () => {
    const error = new InvalidInputException([{ field: 'name', reason: 'must not be empty' }]);

    expect(describeFailure(error)).toBe('The request has invalid fields: name must not be empty');
  });

  it('folds a multi-line error message into one line', () => {
    expect(describeFailure(new Error('Invalid configuration:\n  - PORT must be a number'))).toBe(
      'Invalid configuration: - PORT must be a number',
    );
  });
});
