import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnv } from './validate-env';

/** Variables an entry point sets for itself, over whatever the environment says. */
export type EnvOverrides = Record<string, string>;

@Global()
@Module({})
export class AppConfigModule {
  /**
   * Reads and validates the environment when called, so a test can set it first. `overrides`
   * win over the environment: entry points such as the CLI pin values with them.
   */
  static forRoot(overrides: EnvOverrides = {}): DynamicModule {
    const validate = (raw: Record<string, unknown>) => validateEnv({ ...raw, ...overrides });

    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ cache: true, envFilePath: ['.env'], validate })],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => AppConfig.fromConfigService(config),
        },
      ],
      exports: [AppConfig],
    };
  }
}
