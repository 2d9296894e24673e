import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureHttpApp } from './app.setup';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.register(), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureHttpApp(app);
  await app.listen(app.get(AppConfig).port);
}

void bootstrap();
