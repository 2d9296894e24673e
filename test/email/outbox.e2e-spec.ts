import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PostalMime, { Email } from 'postal-mime';
import { materializeBody } from '../../src/email/email-batch';
import { EmailProviderError } from '../../src/email/email-provider.error';
import { OutboxEmailProvider } from '../../src/email/outbox-email.provider';
import { CAMPAIGN_ID, ORG_ID, ownBodyBatch, recipient, sharedBodyBatch } from './batches';

describe('OutboxEmailProvider writing .eml files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'outbox-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function parsed(deliveryId: string): Promise<Email> {
    return PostalMime.parse(await readFile(join(dir, `${deliveryId}.eml`)));
  }

  function header(email: Email, name: string): string | undefined {
    return email.headers.find((h) => h.key === name.toLowerCase())?.value;
  }

  it('writes one RFC 5322 message per delivery that a MIME parser reads back', async () => {
    const batch = ownBodyBatch(2);

    const created = join(dir, 'created-on-first-send');

    const outcome = await new OutboxEmailProvider({ dir: created }).send(batch);

    expect((await readdir(created)).sort()).toEqual(
      batch.messages.map((m) => `${m.deliveryId}.eml`).sort(),
    );
    for (const [n, message] of batch.messages.entries()) {
      const email = await PostalMime.parse(
        await readFile(join(created, `${message.deliveryId}.eml`)),
      );
      expect(email.from).toEqual({ name: 'Acme News', address: 'news@acme.example' });
      expect(email.to).toEqual([{ name: `Contact ${n}`, address: recipient(n) }]);
      expect(email.replyTo).toEqual([{ name: '', address: 'support@acme.example' }]);
      expect(email.subject).toBe(message.subject);
      expect(email.html?.trim()).toBe(message.html);
      expect(email.text?.trim()).toBe(message.text);
      expect(email.messageId).toBe(outcome.sent[n].providerMessageId);
    }
    expect(outcome.rejected).toEqual([]);
  });

  it('carries the per-message headers and the org, campaign and delivery ids', async () => {
    const batch = ownBodyBatch(1);
    const [message] = batch.messages;

    await new OutboxEmailProvider({ dir }).send(batch);

    const email = await parsed(message.deliveryId);
    expect(header(email, 'List-Unsubscribe')).toBe(
      '<https://mailer.example/v1/unsubscribe/token-0>',
    );
    expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(email, 'X-Org-Id')).toBe(ORG_ID);
    expect(header(email, 'X-Campaign-Id')).toBe(CAMPAIGN_ID);
    expect(header(email, 'X-Delivery-Id')).toBe(message.deliveryId);
  });

  it('fills in a shared body for each recipient exactly as materializeBody does', async () => {
    const batch = sharedBodyBatch(3);

    await new OutboxEmailProvider({ dir }).send(batch);

    for (const message of batch.messages) {
      const email = await parsed(message.deliveryId);
      const expected = materializeBody(batch, message);
      expect(email.html?.trim()).toBe(expected.html);
      expect(email.text?.trim()).toBe(expected.text);
      expect(email.subject).toBe(message.subject);
    }
  });

  it('overwrites the file when a message is sent again, leaving no temporary files', async () => {
    const batch = ownBodyBatch(3);
    const outbox = new OutboxEmailProvider({ dir });

    const first = await outbox.send(batch);
    batch.messages[0].subject = 'Second attempt';
    const second = await outbox.send(batch);

    expect(await readdir(dir)).toHaveLength(3);
    expect(second).toEqual(first);
    expect((await parsed(batch.messages[0].deliveryId)).subject).toBe('Second attempt');
  });

  it('rejects a delivery id that cannot be a file name and writes the others', async () => {
    const batch = ownBodyBatch(2);
    batch.messages[0].deliveryId = '../escape';

    const outcome = await new OutboxEmailProvider({ dir }).send(batch);

    expect(outcome.rejected).toEqual([
      { deliveryId: '../escape', reason: 'delivery id cannot be used as an outbox file name' },
    ]);
    expect(await readdir(dir)).toEqual([`${batch.messages[1].deliveryId}.eml`]);
  });

  it('fails as transient when the outbox cannot be written', async () => {
    const blocked = join(dir, 'a-file');
    await writeFile(blocked, 'not a directory');

    const failure = await new OutboxEmailProvider({ dir: blocked }).send(ownBodyBatch(1)).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(EmailProviderError);
    expect(failure).toMatchObject({ kind: 'transient', statusCode: null });
  });

  it('reports the files already written when a later one cannot be', async () => {
    const batch = ownBodyBatch(3);
    await mkdir(join(dir, `${batch.messages[1].deliveryId}.eml`));

    const failure = await new OutboxEmailProvider({ dir }).send(batch).then(
      () => null,
      (error: unknown) => error as EmailProviderError,
    );

    expect(failure).toMatchObject({ kind: 'transient' });
    expect(failure?.settled.sent.map((s) => s.deliveryId)).toEqual([batch.messages[0].deliveryId]);
  });
});
