import type { TestingModuleBuilder } from '@nestjs/testing';
import { CacheTestRoutesModule } from './cache-test-routes';
import { startTestApp, TestApp } from './test-app';

/** The whole app, as startTestApp boots it, plus the cache's test-only routes. */
export function startCacheTestApp(
  customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
): Promise<TestApp> {
  return startTestApp(customize, [CacheTestRoutesModule]);
}
