import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnv } from './validate-env';

@Global()
@Module({})
export class AppConfigModule {
  /** Reads and validates the environment when called, so a test can set it first. */
  static forRoot(): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [
        ConfigModule.forRoot({ cache: true, envFilePath: ['.env'], validate: validateEnv }),
      ],
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
