import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pino, DestinationStream } from 'pino';
import { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';

/** Paths pino blanks out wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'html',
  '*.html',
  'text',
  '*.text',
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Unsubscribe links carry a bearer-like token in the path: it stays out of access logs. */
const TOKEN_IN_PATH = /(\/v1\/unsubscribe\/)[^/?#]+/;

/** The caller's X-Request-Id when it is sane, else a new one; echoed in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);

  return id;
}

/** The request URL as logged: tokens in unsubscribe paths replaced. */
export function loggableUrl(url: string): string {
  return url.replace(TOKEN_IN_PATH, '$1[redacted]');
}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: [pinoOptions(config), destination(config)] }),
    }),
  ],
})
export class LoggingModule {}

function pinoOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    genReqId: requestId,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customProps: () => ({ service: 'campaign-mailer' }),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
      }),
    },
  };
}

/** JSON lines to the chosen stream; readable single lines in development. */
function destination(config: AppConfig): DestinationStream {
  const fd = config.logDestination === 'stderr' ? 2 : 1;
  if (config.nodeEnv !== 'development') return pino.destination({ dest: fd, sync: fd === 2 });

  return pino.transport({ target: 'pino-pretty', options: { singleLine: true, destination: fd } });
}
