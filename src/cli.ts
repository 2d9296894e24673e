import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { describeFailure, Invocation, parseInvocation } from './admin/admin-commands';
import { AdminService } from './admin/admin.service';
import { AppModule } from './app.module';

/**
 * An admin command may enqueue work but must never start consuming the queue itself, and stdout
 * carries the JSON result, so the service's own log lines go to stderr.
 */
const CLI_ENV = { APP_ROLE: 'api', LOG_DESTINATION: 'stderr' };
const USAGE_ERROR = 2;
const FAILURE = 1;

/**
 * `npm run cli -- <command> [args]`: runs one admin command against the configured database and
 * prints its result as JSON on stdout. No HTTP listener is started.
 */
async function main(argv: string[]): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (error) {
    return fail(error, USAGE_ERROR);
  }

  try {
    // Nest's default logger writes to stdout; boot failures are reported as one line instead.
    const app = await NestFactory.createApplicationContext(AppModule.register(CLI_ENV), {
      logger: false,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    try {
      const result = await invocation.command.run(app.get(AdminService), invocation.args);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

      return 0;
    } finally {
      await app.close();
    }
  } catch (error) {
    return fail(error, FAILURE);
  }
}

function fail(error: unknown, code: number): number {
  process.stderr.write(`error: ${describeFailure(error)}\n`);

  return code;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
