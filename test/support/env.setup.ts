// Every test process gets its own names in Redis and its own database, so runs never collide.
import { randomBytes } from 'node:crypto';

const run = `t${process.pid}${randomBytes(3).toString('hex')}`;

process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.TEST_RUN_ID = run;
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? ':memory:';
process.env.CACHE_NAMESPACE = `cm-test-${run}`;
process.env.QUEUE_PREFIX = `cm-test-${run}`;
