import { INestApplication, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureHttpApp } from '../../src/app.setup';
import { AppConfig } from '../../src/config/app-config';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  adminToken: string;
  createOrg(name?: string): Promise<{ orgId: string; apiKey: string }>;
  close(): Promise<void>;
}

/**
 * Boots the whole application as main.ts does, on a fresh in-memory database, and serves it
 * over real HTTP. `customize` swaps providers through Nest's DI before the app is compiled;
 * `extraModules` adds test-only modules (routes that exist only to exercise a layer).
 */
export async function startTestApp(
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  extraModules: Type[] = [],
): Promise<TestApp> {
  const moduleRef = await customize(
    Test.createTestingModule({ imports: [AppModule.register(), ...extraModules] }),
  ).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
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

export function bearer(key: string): [string, string] {
  return ['Authorization', `Bearer ${key}`];
}
