import { Test } from '@nestjs/testing';
import type { TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureHttpApp } from '../../src/app.setup';
import { AppConfig } from '../../src/config/app-config';
import { CacheTestRoutesModule } from './cache-test-routes';
import type { TestApp } from './test-app';

/** The whole app, as startTestApp boots it, plus the cache's test-only routes. */
export async function startCacheTestApp(
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
): Promise<TestApp> {
  const builder = Test.createTestingModule({
    imports: [AppModule.register(), CacheTestRoutesModule],
  });
  const app = (await customize(builder).compile()).createNestApplication({
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttpApp(app);
  await app.init();
  await app.listen(0, '127.0.0.1');

  const http = request(await app.getUrl());
  const adminToken = app.get(AppConfig).adminToken;

  return {
    app,
    http,
    adminToken,
    async createOrg(name = `Org ${Math.random().toString(36).slice(2, 8)}`) {
      const res = await http
        .post('/v1/orgs')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ name })
        .expect(201);

      return { orgId: res.body.org.id as string, apiKey: res.body.apiKey as string };
    },
    close: () => app.close(),
  };
}
