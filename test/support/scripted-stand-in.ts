import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** An answer a test scripts ahead for a provider stand-in. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type Script = { answer: ScriptedAnswer } | { delayMs: number };

/** An address as both providers accept it: no spaces, brackets or quotes, a dot in the domain. */
export const BARE_ADDRESS = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

/**
 * What the provider stand-ins share: a loopback HTTP server, answers scripted ahead by the test
 * (`failNext` answers without sending, `slowNext` sends but answers late), and a clean close.
 */
export abstract class ScriptedStandIn {
  private readonly script: Script[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  url = '';

  constructor(readonly apiKey: string) {}

  /** Starts listening on a free loopback port; requests go to `handle`. */
  protected async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return this;
  }

  /** The next requests get these answers, one each, and send nothing. */
  failNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers.map((answer) => ({ answer })));
  }

  /** The next request is accepted (and sent) but answered only after `delayMs`. */
  slowNext(delayMs: number): void {
    this.script.push({ delayMs });
  }

  async close(): Promise<void> {
    this.timers.forEach((t) => clearTimeout(t));
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** The scripted answer for this request, or null when it is to be handled as the provider would. */
  protected takeScripted(): ScriptedAnswer | null {
    const next = this.script[0];
    if (!next || !('answer' in next)) return null;
    this.script.shift();

    return next.answer;
  }

  /** Runs `answer` now, or after the delay a `slowNext` scripted for this request. */
  protected answerInTurn(answer: () => void): void {
    const next = this.script[0];
    if (!next || !('delayMs' in next)) return answer();

    this.script.shift();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      answer();
    }, next.delayMs);
    this.timers.add(timer);
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);

  return Buffer.concat(chunks);
}
