import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { AppConfig } from '../config/app-config';
import { validateEnv } from '../config/validate-env';
import { LoggingModule } from '../logging/logging.module';
import { EmailModule } from './email.module';
import { EmailProvider } from './email-provider';
import { OutboxEmailProvider } from './outbox-email.provider';
import { ResendEmailProvider } from './resend-email.provider';
import { SendGridEmailProvider } from './sendgrid-email.provider';

@Module({})
class ConfigFromEnv {
  /** AppConfig built the way boot builds it, from the given variables instead of the real environment. */
  static of(env: Record<string, string>): DynamicModule {
    const values = validateEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
    const config = AppConfig.fromConfigService(new ConfigService(values));

    return {
      module: ConfigFromEnv,
      global: true,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

async function providerFor(env: Record<string, string>): Promise<EmailProvider> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigFromEnv.of(env), LoggingModule, EmailModule],
  }).compile();

  return moduleRef.get(EmailProvider);
}

describe('EmailModule', () => {
  it('provides the outbox when EMAIL_PROVIDER is not set', async () => {
    const provider = await providerFor({});

    expect(provider).toBeInstanceOf(OutboxEmailProvider);
    expect(provider).toMatchObject({ name: 'outbox', substitutesServerSide: false });
  });

  it('provides SendGrid, which batches up to 1000 and substitutes server-side', async () => {
    const provider = await providerFor({
      EMAIL_PROVIDER: 'sendgrid',
      SENDGRID_API_KEY: 'SG.unit-test-key',
    });

    expect(provider).toBeInstanceOf(SendGridEmailProvider);
    expect(provider).toMatchObject({ maxBatchSize: 1000, substitutesServerSide: true });
  });

  it('provides Resend, which batches up to 100', async () => {
    const provider = await providerFor({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_unit' });

    expect(provider).toBeInstanceOf(ResendEmailProvider);
    expect(provider.maxBatchSize).toBe(100);
  });

  it.each([
    ['sendgrid', 'SENDGRID_API_KEY'],
    ['resend', 'RESEND_API_KEY'],
  ])('stops the boot when EMAIL_PROVIDER=%s has no %s', async (provider, variable) => {
    await expect(providerFor({ EMAIL_PROVIDER: provider, [variable]: '' })).rejects.toThrow(
      `${variable} is required when EMAIL_PROVIDER=${provider}`,
    );
    await expect(providerFor({ EMAIL_PROVIDER: provider })).rejects.toThrow(
      `${variable} is required when EMAIL_PROVIDER=${provider}`,
    );
  });

  it('does not ask for the key of a provider that is not chosen', async () => {
    await expect(providerFor({ EMAIL_PROVIDER: 'outbox' })).resolves.toBeInstanceOf(
      OutboxEmailProvider,
    );
  });

  it('refuses an EMAIL_PROVIDER it does not know', async () => {
    await expect(providerFor({ EMAIL_PROVIDER: 'carrier-pigeon' })).rejects.toThrow(
      'EMAIL_PROVIDER must be one of [outbox, sendgrid, resend]',
    );
  });

  it('drops a trailing slash from the base URLs and applies the defaults', () => {
    const values = validateEnv({ SENDGRID_API_BASE_URL: 'https://api.eu.sendgrid.com/' });
    const config = AppConfig.fromConfigService(new ConfigService(values));

    expect(config).toMatchObject({
      emailProvider: 'outbox',
      sendgridApiBaseUrl: 'https://api.eu.sendgrid.com',
      resendApiBaseUrl: 'https://api.resend.com',
      outboxDir: 'var/outbox',
      emailRequestTimeoutMs: 10_000,
      sendgridApiKey: null,
    });
  });
});
