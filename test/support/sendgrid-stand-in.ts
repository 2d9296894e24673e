import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { BARE_ADDRESS, readBody, ScriptedAnswer, ScriptedStandIn } from './scripted-stand-in';

/**
 * A local HTTP server standing in for SendGrid's POST /v3/mail/send. It checks requests against
 * SendGrid's published rules, answers 202 with an X-Message-Id or 400 with `{ errors }`, and
 * records every accepted message as its recipient would get it (substitutions applied).
 * Tests script failures ahead: `failNext` answers without sending, `slowNext` sends but
 * answers late (the caller times out not knowing the mail went); `failEveryRequest` answers
 * every request alike until `stopFailing`.
 */
export interface SendGridAddress {
  email: string;
  name?: string;
}

export interface SendGridFieldError {
  message: string;
  field: string | null;
  help: string | null;
}

/** One message as its recipient receives it. */
export interface ReceivedMail {
  messageId: string;
  from: SendGridAddress;
  replyTo: SendGridAddress | null;
  to: SendGridAddress;
  subject: string;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  customArgs: Record<string, string>;
}

export interface ReceivedRequest {
  authorization: string | undefined;
  body: unknown;
  status: number;
  /** When the request arrived (epoch ms). */
  at: number;
}

export type { ScriptedAnswer };

export const SENDGRID_LIMITS = {
  personalizations: 1000,
  recipients: 1000,
  substitutionBytes: 10_000,
  customArgsBytes: 10_000,
  requestBytes: 20 * 1024 * 1024,
};

const RESERVED_HEADERS = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);

export class SendGridStandIn extends ScriptedStandIn {
  readonly received: ReceivedMail[] = [];
  readonly requests: ReceivedRequest[] = [];
  private standing: ScriptedAnswer | null = null;

  static start(apiKey = 'SG.stand-in-key'): Promise<SendGridStandIn> {
    return new SendGridStandIn(apiKey).listen();
  }

  /** Every request from now on gets this answer and sends nothing, until `stopFailing()`. */
  failEveryRequest(answer: ScriptedAnswer): void {
    this.standing = answer;
  }

  stopFailing(): void {
    this.standing = null;
  }

  /** What SendGrid answers to a revoked or invalid API key. */
  static unauthorized(): ScriptedAnswer {
    const message = 'The provided authorization grant is invalid, expired, or revoked';

    return { status: 401, body: errors(message, null) };
  }

  /** A 429 carrying SendGrid's rate limit headers, the reset in epoch seconds. */
  static rateLimited(resetEpochSeconds: number): ScriptedAnswer {
    return {
      status: 429,
      headers: {
        'X-RateLimit-Limit': '600',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(resetEpochSeconds),
      },
      body: { errors: [{ message: 'too many requests', field: null, help: null }] },
    };
  }

  /** Messages received by one address, in arrival order. */
  receivedBy(email: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.email === email);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v3/mail/send') {
      return this.answer(res, req, null, at, { status: 404, body: errors('not found', null) });
    }
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      const body = errors('The provided authorization grant is invalid or revoked', null);
      return this.answer(res, req, null, at, { status: 401, body });
    }
    if (this.standing) return this.answer(res, req, raw, at, this.standing);

    const scripted = this.takeScripted();
    if (scripted) return this.answer(res, req, raw, at, scripted);

    const outcome = this.accept(raw);
    this.answerInTurn(() => this.answer(res, req, raw, at, outcome));
  }

  /** Validates one request and, when it passes, records what each recipient receives. */
  private accept(raw: Buffer): ScriptedAnswer {
    if (raw.length > SENDGRID_LIMITS.requestBytes) {
      return { status: 413, body: '<html><body>Request Entity Too Large</body></html>' };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, body: errors('Bad Request', null) };
    }

    const problems = validateMailSend(body);
    if (problems.length > 0) return { status: 400, body: { errors: problems } };

    const messageId = randomUUID().replace(/-/g, '').slice(0, 22);
    this.received.push(...personalize(body as MailSend, messageId));

    return { status: 202, headers: { 'X-Message-Id': messageId } };
  }

  private answer(
    res: ServerResponse,
    req: IncomingMessage,
    raw: Buffer | null,
    at: number,
    answer: ScriptedAnswer,
  ): void {
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw.toString('utf8')) : null;
    } catch {
      body = raw?.toString('utf8') ?? null;
    }
    const { authorization } = req.headers;
    this.requests.push({ authorization, body, status: answer.status, at });
    if (res.destroyed) return;

    const isText = typeof answer.body === 'string';
    res.writeHead(answer.status, {
      ...(answer.body === undefined
        ? {}
        : { 'Content-Type': isText ? 'text/html' : 'application/json' }),
      ...answer.headers,
    });
    res.end(answer.body === undefined ? '' : isText ? answer.body : JSON.stringify(answer.body));
  }
}

interface Personalization {
  to?: SendGridAddress[];
  cc?: SendGridAddress[];
  bcc?: SendGridAddress[];
  subject?: string;
  headers?: Record<string, unknown>;
  substitutions?: Record<string, unknown>;
  custom_args?: Record<string, unknown>;
}

interface MailSend {
  personalizations?: Personalization[];
  from?: SendGridAddress;
  reply_to?: SendGridAddress;
  subject?: string;
  content?: { type?: string; value?: string }[];
  template_id?: string;
  headers?: Record<string, unknown>;
  custom_args?: Record<string, unknown>;
}

/** SendGrid's published rules for /v3/mail/send, each problem named by its field. */
export function validateMailSend(input: unknown): SendGridFieldError[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [problem('the request body must be a JSON object', null)];
  }
  const body = input as MailSend;

  return [
    ...checkFrom(body),
    ...checkPersonalizations(body),
    ...checkContent(body),
    ...checkHeaders(body.headers, 'headers'),
    ...checkCustomArgs(body.custom_args, 'custom_args'),
    ...(body.reply_to && !isAddress(body.reply_to.email)
      ? [problem('does not contain a valid address', 'reply_to.email')]
      : []),
  ];
}

function checkFrom(body: MailSend): SendGridFieldError[] {
  if (!body.from || !isAddress(body.from.email)) {
    return [problem('the from object must be provided with a valid address', 'from.email')];
  }

  return [];
}

function checkPersonalizations(body: MailSend): SendGridFieldError[] {
  const list = body.personalizations;
  if (!Array.isArray(list) || list.length === 0) {
    return [problem('at least one personalization is required', 'personalizations')];
  }
  if (list.length > SENDGRID_LIMITS.personalizations) {
    const message = `no more than ${SENDGRID_LIMITS.personalizations} personalizations are allowed`;
    return [problem(message, 'personalizations')];
  }
  const recipients = list.reduce(
    (n, p) => n + (p.to?.length ?? 0) + (p.cc?.length ?? 0) + (p.bcc?.length ?? 0),
    0,
  );
  if (recipients > SENDGRID_LIMITS.recipients) {
    const message = `no more than ${SENDGRID_LIMITS.recipients} recipients are allowed in total`;
    return [problem(message, 'personalizations')];
  }

  return list.flatMap((p, i) => checkPersonalization(p, `personalizations.${i}`, body));
}

function checkPersonalization(
  p: Personalization,
  at: string,
  body: MailSend,
): SendGridFieldError[] {
  const found: SendGridFieldError[] = [];
  if (!Array.isArray(p.to) || p.to.length === 0) {
    found.push(problem('at least one to address is required', `${at}.to`));
  }
  for (const kind of ['to', 'cc', 'bcc'] as const) {
    (p[kind] ?? []).forEach((a, j) => {
      if (!isAddress(a?.email)) {
        found.push(problem('does not contain a valid address', `${at}.${kind}.${j}.email`));
      }
    });
  }
  const subject = p.subject ?? body.subject;
  if (!body.template_id && (typeof subject !== 'string' || subject.length === 0)) {
    found.push(problem('a subject is required here or at the top level', `${at}.subject`));
  }
  if (p.substitutions !== undefined) {
    const values = Object.values(p.substitutions);
    if (values.some((v) => typeof v !== 'string')) {
      found.push(problem('substitution values must be strings', `${at}.substitutions`));
    }
    if (byteSize(p.substitutions) > SENDGRID_LIMITS.substitutionBytes) {
      const message = `substitutions may not exceed ${SENDGRID_LIMITS.substitutionBytes} bytes`;
      found.push(problem(message, `${at}.substitutions`));
    }
  }

  return [
    ...found,
    ...checkHeaders(p.headers, `${at}.headers`),
    ...checkCustomArgs(p.custom_args, `${at}.custom_args`),
  ];
}

function checkContent(body: MailSend): SendGridFieldError[] {
  if (body.template_id) return [];

  const content = body.content;
  if (!Array.isArray(content) || content.length === 0) {
    return [problem('content with at least one type and value is required', 'content')];
  }
  const found: SendGridFieldError[] = [];
  content.forEach((c, i) => {
    if (typeof c.value !== 'string' || c.value.length === 0) {
      found.push(
        problem(
          'the content value must be a string of at least one character',
          `content.${i}.value`,
        ),
      );
    }
  });
  const plain = content.findIndex((c) => c.type === 'text/plain');
  if (plain > 0) found.push(problem('text/plain content must come first', `content.${plain}.type`));

  return found;
}

function checkHeaders(
  headers: Record<string, unknown> | undefined,
  at: string,
): SendGridFieldError[] {
  if (headers === undefined) return [];

  return Object.entries(headers).flatMap(([name, value]) => {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      return [problem(`the header ${name} is reserved`, `${at}.${name}`)];
    }
    return typeof value === 'string'
      ? []
      : [problem('header values must be strings', `${at}.${name}`)];
  });
}

function checkCustomArgs(
  args: Record<string, unknown> | undefined,
  at: string,
): SendGridFieldError[] {
  if (args === undefined) return [];

  const found = Object.entries(args)
    .filter(([, value]) => typeof value !== 'string')
    .map(([name]) => problem('custom_args values must be strings', `${at}.${name}`));
  if (byteSize(args) > SENDGRID_LIMITS.customArgsBytes) {
    found.push(problem(`custom_args may not exceed ${SENDGRID_LIMITS.customArgsBytes} bytes`, at));
  }

  return found;
}

/** What each recipient of an accepted request receives. */
function personalize(body: MailSend, messageId: string): ReceivedMail[] {
  const text = body.content?.find((c) => c.type === 'text/plain')?.value ?? null;
  const html = body.content?.find((c) => c.type === 'text/html')?.value ?? null;

  return (body.personalizations ?? []).flatMap((p) => {
    const subs = (p.substitutions ?? {}) as Record<string, string>;
    const recipients = [...(p.to ?? []), ...(p.cc ?? []), ...(p.bcc ?? [])];

    return recipients.map((to) => ({
      messageId,
      from: body.from as SendGridAddress,
      replyTo: body.reply_to ?? null,
      to,
      subject: substitute(p.subject ?? body.subject ?? '', subs),
      text: text === null ? null : substitute(text, subs),
      html: html === null ? null : substitute(html, subs),
      headers: { ...body.headers, ...p.headers } as Record<string, string>,
      customArgs: { ...body.custom_args, ...p.custom_args } as Record<string, string>,
    }));
  });
}

/** Replaces every key with its value, literally, in one pass (longest key first on overlap). */
export function substitute(text: string, subs: Record<string, string>): string {
  const keys = Object.keys(subs).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;

  const pattern = new RegExp(
    keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'g',
  );

  return text.replace(pattern, (key) => subs[key]);
}

function isAddress(value: unknown): boolean {
  return typeof value === 'string' && BARE_ADDRESS.test(value);
}

function byteSize(value: Record<string, unknown>): number {
  return Object.entries(value).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)),
    0,
  );
}

function problem(message: string, field: string | null): SendGridFieldError {
  return { message, field, help: null };
}

function errors(message: string, field: string | null): { errors: SendGridFieldError[] } {
  return { errors: [problem(message, field)] };
}
