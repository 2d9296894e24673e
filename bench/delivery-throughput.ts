/**
 * Delivery throughput and memory: seeds N contacts, sends one campaign through the real queue
 * (Redis) and the SendGrid provider to a local sink, and prints emails per second and peak
 * memory. Run: npm run bench:delivery -- 100000   (Redis must be running)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';

async function main(): Promise<void> {
  const contacts = Number(process.argv[2] ?? 100_000);
  const sink = fork(join(__dirname, 'sendgrid-sink.js'));
  const [{ port }] = (await once(sink, 'message')) as [{ port: number }];
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-'));
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: join(dir, 'bench.sqlite'),
    EMAIL_PROVIDER: 'sendgrid',
    SENDGRID_API_KEY: 'SG.bench-key',
    SENDGRID_API_BASE_URL: `http://127.0.0.1:${port}`,
    QUEUE_PREFIX: `cm-bench-${process.pid}`,
    CACHE_NAMESPACE: `cm-bench-${process.pid}`,
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '4',
  });

  // Imported after the environment is set: the modules read it when they are composed.
  const { AppModule } = await import('../src/app.module');
  const { OrgService } = await import('../src/orgs/org.service');
  const { ContactRepository } = await import('../src/contacts/contact.repository');
  const { CampaignService } = await import('../src/campaigns/campaign.service');
  const { CampaignSendingService } = await import('../src/campaigns/campaign-sending.service');
  const { CampaignRepository } = await import('../src/campaigns/campaign.repository');
  const app = await NestFactory.createApplicationContext(AppModule.register(), { logger: false });

  const { org } = await app.get(OrgService).create('Bench');
  const seedStart = Date.now();
  const repo = app.get(ContactRepository);
  for (let i = 0; i < contacts; i += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, contacts - i) }, (_, j) => ({
      email: `user${i + j}@example.com`,
      firstName: `User${i + j}`,
      attributes: { plan: (i + j) % 3 === 0 ? 'pro' : 'free' },
    }));
    await repo.upsertMany(org.id, rows);
  }
  const seedMs = Date.now() - seedStart;

  const campaigns = app.get(CampaignService);
  const campaign = await campaigns.create(org.id, {
    name: 'Bench',
    subject: 'Hello {{ firstName }}',
    html: '<p>Hi {{ firstName | default: "there" }}, your plan: {{ attributes.plan }}</p>',
    text: 'Hi {{ firstName }}, your plan: {{ attributes.plan }}',
    from: { email: 'bench@example.com' },
  });
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);

  const sendStart = Date.now();
  await app.get(CampaignSendingService).send(org.id, campaign.id);
  let status = 'sending';
  while (status !== 'sent') {
    await new Promise((r) => setTimeout(r, 100));
    status = (await app.get(CampaignRepository).findRow(org.id, campaign.id))!.status;
  }
  const sendMs = Date.now() - sendStart;
  clearInterval(sampler);

  sink.send('report');
  const [sunk] = (await once(sink, 'message')) as [{ requests: number; recipients: number }];
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  const lines = [
    `contacts               ${contacts}`,
    `seed (upsert)          ${seedMs} ms  (${Math.round(contacts / (seedMs / 1000))} contacts/s)`,
    `send to sent           ${sendMs} ms  (${Math.round(contacts / (sendMs / 1000))} emails/s)`,
    `provider requests      ${sunk.requests}  (${sunk.recipients} recipients)`,
    `rss before/peak        ${mb(baseline.rss)} / ${mb(peakRss)} MiB`,
    `heap before/peak       ${mb(baseline.heapUsed)} / ${mb(peakHeap)} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await app.close();
  sink.kill();
  rmSync(dir, { recursive: true, force: true });
}

void main();
