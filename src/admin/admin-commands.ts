import { HttpException } from '@nestjs/common';
import { AdminService } from './admin.service';

/** One CLI command: its positional arguments (a trailing `?` marks one optional) and its action. */
export interface AdminCommand {
  args: string[];
  summary: string;
  run(admin: AdminService, args: string[]): Promise<unknown>;
}

/** Every command the CLI knows; adding one is adding an entry here. */
export const ADMIN_COMMANDS: Record<string, AdminCommand> = {
  migrate: {
    args: [],
    summary: 'apply pending database migrations',
    run: (admin) => admin.migrate(),
  },
  'org:create': {
    args: ['name'],
    summary: 'create an org and print its API key (shown only this once)',
    run: (admin, [name]) => admin.createOrg(name),
  },
  'org:list': {
    args: [],
    summary: 'list all orgs',
    run: async (admin) => ({ data: await admin.listOrgs() }),
  },
  'org:rotate-key': {
    args: ['orgId'],
    summary: "replace an org's API key and print the new one",
    run: (admin, [orgId]) => admin.rotateKey(orgId),
  },
  'campaign:list': {
    args: ['orgId'],
    summary: "list an org's campaigns (first page)",
    run: (admin, [orgId]) => admin.listCampaigns(orgId),
  },
  'campaign:get': {
    args: ['orgId', 'id'],
    summary: 'show one campaign with its delivery stats',
    run: (admin, [orgId, id]) => admin.getCampaign(orgId, id),
  },
  'campaign:send': {
    args: ['orgId', 'id', 'sendAt?'],
    summary: 'send a draft campaign now, or schedule it at an ISO 8601 time',
    run: (admin, [orgId, id, sendAt]) => admin.sendCampaign(orgId, id, sendAt),
  },
  'campaign:cancel': {
    args: ['orgId', 'id'],
    summary: 'stop a scheduled, sending or paused campaign',
    run: (admin, [orgId, id]) => admin.cancelCampaign(orgId, id),
  },
  'campaign:resume': {
    args: ['orgId', 'id'],
    summary: 'continue a paused campaign',
    run: (admin, [orgId, id]) => admin.resumeCampaign(orgId, id),
  },
  'campaign:retry-failed': {
    args: ['orgId', 'id'],
    summary: "send a campaign's failed deliveries again",
    run: (admin, [orgId, id]) => admin.retryFailed(orgId, id),
  },
};

/** The command line was wrong: nothing was run. */
export class CommandUsageError extends Error {}

export interface Invocation {
  name: string;
  command: AdminCommand;
  args: string[];
}

export function parseInvocation(
  argv: string[],
  commands: Record<string, AdminCommand> = ADMIN_COMMANDS,
): Invocation {
  const [name, ...args] = argv;
  const known = Object.keys(commands).join(', ');
  if (!name) throw new CommandUsageError(`no command given; commands: ${known}`);

  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new CommandUsageError(`unknown command "${name}"; commands: ${known}`);
  const required = command.args.filter((arg) => !arg.endsWith('?')).length;
  if (args.length < required || args.length > command.args.length) {
    throw new CommandUsageError(`usage: ${usageOf(name, command)}`);
  }

  return { name, command, args };
}

export function usageOf(name: string, command: AdminCommand): string {
  const shown = command.args.map((arg) =>
    arg.endsWith('?') ? `[${arg.slice(0, -1)}]` : `<${arg}>`,
  );

  return [name, ...shown].join(' ');
}

/** One line saying what went wrong, with the field-level details of a 400. */
export function describeFailure(error: unknown): string {
  if (error instanceof HttpException) {
    const body = error.getResponse() as { message?: unknown; details?: unknown };
    const message = typeof body.message === 'string' ? body.message : error.message;
    const details = Array.isArray(body.details)
      ? (body.details as { field: string; reason: string }[])
      : [];

    return [message, ...details.map((d) => `${d.field} ${d.reason}`)].join(': ');
  }

  const message = error instanceof Error ? error.message : String(error);

  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ');
}
