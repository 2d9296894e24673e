import { HttpException } from '@nestjs/common';
import { AdminService } from './admin.service';

/** One CLI command: its positional arguments (all required) and what it does with them. */
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
  if (args.length !== command.args.length) {
    throw new CommandUsageError(`usage: ${usageOf(name, command)}`);
  }

  return { name, command, args };
}

export function usageOf(name: string, command: AdminCommand): string {
  return [name, ...command.args.map((arg) => `<${arg}>`)].join(' ');
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
