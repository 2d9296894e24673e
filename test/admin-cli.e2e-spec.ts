import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSources } from './support/compile-src';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('admin CLI (child process)', () => {
  let build: Awaited<ReturnType<typeof compileSources>>;
  let workDir: string;

  beforeAll(async () => {
    build = await compileSources(process.env.TEST_RUN_ID ?? 'admin-cli');
    workDir = await mkdtemp(join(tmpdir(), 'cm-cli-'));
  });

  afterAll(async () => {
    await build.remove();
    await rm(workDir, { recursive: true, force: true });
  });

  // Logs on at info level: the test then also proves they stay off stdout.
  function cli(...args: string[]): Promise<CliRun> {
    const env = {
      ...process.env,
      DATABASE_URL: join(workDir, 'cli.sqlite'),
      LOG_LEVEL: 'info',
    };

    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(build.dir, 'cli.js'), ...args],
        { cwd: workDir, env, timeout: 20_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  it('creates an org with org:create and then lists it with org:list', async () => {
    const created = await cli('org:create', 'Acme');
    expect(created.code).toBe(0);
    const { org, apiKey } = JSON.parse(created.stdout);
    expect(org).toMatchObject({ name: 'Acme', id: expect.any(String) });
    expect(apiKey).toMatch(/^cm_/);

    const listed = await cli('org:list');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).data).toContainEqual(org);
  });

  it('answers an unknown command with a non-zero exit and a one-line message', async () => {
    const run = await cli('org:explode');

    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('unknown command "org:explode"'),
    ]);
  });

  it('exits non-zero naming the usage when an argument is missing', async () => {
    const run = await cli('campaign:get', 'some-org');

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('usage: campaign:get <orgId> <id>');
  });

  it('exits non-zero with "not found" for an org that does not exist', async () => {
    const run = await cli('org:rotate-key', '01890000-0000-7000-8000-000000000000');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error: Org not found\n$/);
  });

  it("lists an existing org's campaigns and reports migrations as current", async () => {
    const { org } = JSON.parse((await cli('org:create', 'Globex')).stdout);

    const campaigns = await cli('campaign:list', org.id);
    const migrated = await cli('migrate');

    expect(JSON.parse(campaigns.stdout)).toEqual({ data: [], nextCursor: null });
    expect(JSON.parse(migrated.stdout)).toEqual({ applied: [], current: expect.any(String) });
  });
});
