import { createHash, randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { BARE_ADDRESS, readBody, ScriptedAnswer, ScriptedStandIn } from './scripted-stand-in';

/**
 * A local HTTP server standing in for Resend's POST /emails/batch. It checks each email the way
 * Resend documents (strict mode refuses the batch, permissive mode reports bad emails by index),
 * honours Idempotency-Key (a repeated key with the same body gets the first answer and sends
 * nothing; with another body, 409), and records every email it accepts.
 * Tests script failures ahead: `failNext` answers without sending, `slowNext` sends but
 * answers late.
 */
export interface ReceivedResendEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  replyTo: string[] | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export interface ResendRequest {
  idempotencyKey: string | null;
  validation: string;
  body: unknown;
  status: number;
  replayed: boolean;
}

export type { ScriptedAnswer };
type Stored = { hash: string; answer: ScriptedAnswer };

export const RESEND_LIMITS = { emails: 100, recipients: 50, keyLength: 256, tagLength: 256 };

const NAMED_ADDRESS = /^(?:"(?:[^"\\]|\\.)*"|[^<>"]*)\s*<([^<>]+)>$/;
const TAG_TEXT = /^[A-Za-z0-9_-]+$/;

export class ResendStandIn extends ScriptedStandIn {
  readonly received: ReceivedResendEmail[] = [];
  readonly requests: ResendRequest[] = [];
  private readonly keys = new Map<string, Stored>();

  static start(apiKey = 're_stand_in_key'): Promise<ResendStandIn> {
    return new ResendStandIn(apiKey).listen();
  }

  /** A 429 with the headers Resend sends: seconds until the window resets. */
  static rateLimited(retryAfterSeconds: number): ScriptedAnswer {
    return {
      status: 429,
      headers: {
        'ratelimit-limit': '2',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(retryAfterSeconds),
        'retry-after': String(retryAfterSeconds),
      },
      body: apiError(429, 'rate_limit_exceeded', 'Too many requests.'),
    };
  }

  receivedBy(email: string): ReceivedResendEmail[] {
    return this.received.filter((m) => m.to.some((to) => addressOf(to) === email));
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    const key = header(req, 'idempotency-key');
    const record = {
      idempotencyKey: key,
      validation: header(req, 'x-batch-validation') ?? 'strict',
    };
    const answer = (a: ScriptedAnswer, replayed = false) =>
      this.answer(res, { ...record, body: parse(raw), status: a.status, replayed }, a);

    if (req.method !== 'POST' || req.url !== '/emails/batch') {
      return answer({ status: 404, body: apiError(404, 'not_found', 'Not found.') });
    }
    const denied = this.checkKey(req);
    if (denied) return answer(denied);

    const scripted = this.takeScripted();
    if (scripted) return answer(scripted);

    const stored = key === null ? undefined : this.keys.get(key);
    const hash = createHash('sha256').update(raw).digest('hex');
    if (stored)
      return answer(stored.hash === hash ? stored.answer : conflict(), stored.hash === hash);

    const outcome = this.accept(raw, key, record.validation);
    if (key !== null && outcome.status !== 400) this.keys.set(key, { hash, answer: outcome });
    this.answerInTurn(() => answer(outcome));
  }

  private checkKey(req: IncomingMessage): ScriptedAnswer | null {
    const auth = req.headers.authorization;
    if (!auth) {
      return {
        status: 401,
        body: apiError(401, 'missing_api_key', 'Missing API key in the authorization header.'),
      };
    }
    if (auth !== `Bearer ${this.apiKey}`) {
      return { status: 403, body: apiError(403, 'invalid_api_key', 'API key is invalid.') };
    }
    const key = header(req, 'idempotency-key');
    if (key !== null && (key.length === 0 || key.length > RESEND_LIMITS.keyLength)) {
      const message = `The idempotency key must be 1 to ${RESEND_LIMITS.keyLength} characters.`;
      return { status: 400, body: apiError(400, 'invalid_idempotency_key', message) };
    }

    return null;
  }

  private accept(raw: string, key: string | null, validation: string): ScriptedAnswer {
    const emails = parse(raw);
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > RESEND_LIMITS.emails) {
      const message = `A batch holds 1 to ${RESEND_LIMITS.emails} emails.`;
      return { status: 422, body: apiError(422, 'validation_error', message) };
    }
    const errors = emails.flatMap((email, index) => {
      const message = validateEmail(email);
      return message === null ? [] : [{ index, message }];
    });
    if (validation !== 'permissive' && errors.length > 0) {
      const { index, message } = errors[0];
      return {
        status: 422,
        body: apiError(422, 'validation_error', `emails[${index}]: ${message}`),
      };
    }

    const refused = new Set(errors.map((e) => e.index));
    const created = emails
      .filter((_, i) => !refused.has(i))
      .map((email) => this.record(email as EmailInput, key));
    const data = created.map((m) => ({ id: m.id }));

    return { status: 200, body: validation === 'permissive' ? { data, errors } : { data } };
  }

  private record(email: EmailInput, key: string | null): ReceivedResendEmail {
    const mail: ReceivedResendEmail = {
      id: randomUUID(),
      idempotencyKey: key,
      from: email.from as string,
      to: ([] as string[]).concat(email.to as string | string[]),
      subject: email.subject as string,
      html: typeof email.html === 'string' ? email.html : null,
      text: typeof email.text === 'string' ? email.text : null,
      replyTo: email.reply_to === undefined ? null : ([] as string[]).concat(email.reply_to),
      headers: (email.headers ?? {}) as Record<string, string>,
      tags: (email.tags ?? []) as { name: string; value: string }[],
    };
    this.received.push(mail);

    return mail;
  }

  private answer(res: ServerResponse, request: ResendRequest, answer: ScriptedAnswer): void {
    this.requests.push(request);
    if (res.destroyed) return;

    const isText = typeof answer.body === 'string';
    res.writeHead(answer.status, {
      'Content-Type': isText ? 'text/html' : 'application/json',
      ...answer.headers,
    });
    res.end(isText ? answer.body : JSON.stringify(answer.body ?? {}));
  }
}

interface EmailInput {
  from?: unknown;
  to?: unknown;
  subject?: unknown;
  html?: unknown;
  text?: unknown;
  reply_to?: string | string[];
  headers?: Record<string, unknown>;
  tags?: unknown;
}

/** The problem with one email of a batch, in Resend's terms, or null when it is valid. */
export function validateEmail(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return 'Each email must be an object.';
  const email = input as EmailInput;

  if (typeof email.from !== 'string' || addressOf(email.from) === null) {
    return 'Invalid `from` field. Use `email@example.com` or `Name <email@example.com>`.';
  }
  const to = typeof email.to === 'string' ? [email.to] : email.to;
  if (!Array.isArray(to) || to.length === 0 || to.length > RESEND_LIMITS.recipients) {
    return `The \`to\` field must hold 1 to ${RESEND_LIMITS.recipients} addresses.`;
  }
  if (to.some((a) => typeof a !== 'string' || addressOf(a) === null)) {
    return 'Invalid `to` field. Use `email@example.com` or `Name <email@example.com>`.';
  }
  if (typeof email.subject !== 'string' || email.subject.length === 0) {
    return 'The `subject` field is missing.';
  }
  if (typeof email.html !== 'string' && typeof email.text !== 'string') {
    return 'Either `html` or `text` is required.';
  }

  return checkHeaders(email.headers) ?? checkTags(email.tags);
}

function checkHeaders(headers: Record<string, unknown> | undefined): string | null {
  if (headers === undefined) return null;

  const bad = Object.entries(headers).find(([, v]) => typeof v !== 'string');

  return bad ? `The header \`${bad[0]}\` must be a string.` : null;
}

function checkTags(tags: unknown): string | null {
  if (tags === undefined) return null;
  if (!Array.isArray(tags)) return 'The `tags` field must be an array.';

  const ok = (s: unknown) =>
    typeof s === 'string' && s.length <= RESEND_LIMITS.tagLength && TAG_TEXT.test(s);
  const bad = tags.find((t: { name?: unknown; value?: unknown }) => !ok(t?.name) || !ok(t?.value));

  return bad === undefined
    ? null
    : 'Tags may only contain ASCII letters, numbers, underscores or dashes.';
}

/** The bare address of `a@b.c` or `Name <a@b.c>`, or null when it is not one. */
export function addressOf(value: string): string | null {
  const named = NAMED_ADDRESS.exec(value.trim());
  const bare = named ? named[1].trim() : value.trim();

  return BARE_ADDRESS.test(bare) ? bare : null;
}

function conflict(): ScriptedAnswer {
  const message = 'This idempotency key was already used with a different request body.';

  return { status: 409, body: apiError(409, 'invalid_idempotent_request', message) };
}

function apiError(statusCode: number, name: string, message: string) {
  return { statusCode, name, message };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];

  return typeof value === 'string' ? value : null;
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
