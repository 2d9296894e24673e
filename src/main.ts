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
  const config = app.get(AppConfig);

  // A worker-only process consumes the queue and opens no port.
  if (config.servesHttp) await app.listen(config.port);
  else await app.init();
}

void bootstrap();
