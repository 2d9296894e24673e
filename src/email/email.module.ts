import { Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { EmailProvider } from './email-provider';
import { OutboxEmailProvider } from './outbox-email.provider';
import { ResendEmailProvider } from './resend-email.provider';
import { SendGridEmailProvider } from './sendgrid-email.provider';

/** The provider EMAIL_PROVIDER names, built from the validated configuration. */
export function createEmailProvider(config: AppConfig): EmailProvider {
  const timeoutMs = config.emailRequestTimeoutMs;
  switch (config.emailProvider) {
    case 'sendgrid': {
      const apiKey = requireKey(config.sendgridApiKey, 'SENDGRID_API_KEY', 'sendgrid');

      return new SendGridEmailProvider({ apiKey, baseUrl: config.sendgridApiBaseUrl, timeoutMs });
    }
    case 'resend': {
      const apiKey = requireKey(config.resendApiKey, 'RESEND_API_KEY', 'resend');

      return new ResendEmailProvider({ apiKey, baseUrl: config.resendApiBaseUrl, timeoutMs });
    }
    case 'outbox':
      return new OutboxEmailProvider({ dir: config.outboxDir });
  }
}

/** The schema already insists on the key; this keeps a hand-built AppConfig honest too. */
function requireKey(key: string | null, variable: string, provider: string): string {
  if (!key) throw new Error(`${variable} is required when EMAIL_PROVIDER=${provider}`);

  return key;
}

@Injectable()
class EmailProviderAnnouncer implements OnModuleInit {
  constructor(
    @Inject(EmailProvider) private readonly provider: EmailProvider,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('EmailModule');
  }

  onModuleInit(): void {
    const target = {
      sendgrid: this.config.sendgridApiBaseUrl,
      resend: this.config.resendApiBaseUrl,
      outbox: this.config.outboxDir,
    }[this.config.emailProvider];
    this.logger.info(
      { event: 'email.provider.selected', provider: this.provider.name, target },
      'email provider selected',
    );
  }
}

/** Provides the `EmailProvider` token everywhere: import once, in the root module. */
@Global()
@Module({
  providers: [
    { provide: EmailProvider, inject: [AppConfig], useFactory: createEmailProvider },
    EmailProviderAnnouncer,
  ],
  exports: [EmailProvider],
})
export class EmailModule {}
