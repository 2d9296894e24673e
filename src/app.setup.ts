import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import { Logger } from 'nestjs-pino';
import { ErrorBody } from './common/errors/api-error';
import { STATUS_TEXT } from './common/errors/status-text';
import { createValidationPipe } from './common/errors/validation';
import { AppConfig } from './config/app-config';
import { requestId } from './logging/logging.module';

/**
 * Everything an HTTP application needs beyond its modules; main.ts and the e2e tests both call
 * this, so the tests exercise the same pipeline as production.
 */
export function configureHttpApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const config = app.get(AppConfig);

  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  express.set('etag', false);
  express.set('query parser', 'extended');
  express.use(guardBodyParser(json({ limit: config.bodyLimit })));
  express.use(guardBodyParser(urlencoded({ extended: false, limit: config.bodyLimit })));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
}

const BODY_PROBLEMS: Record<number, string> = {
  413: 'The request body is too large',
  415: 'The request body has an unsupported charset or content encoding',
};

type Middleware = (req: Request, res: Response, next: (err?: unknown) => void) => void;

/** Body parser failures are the client's: answer 400 or 413 in the API's error shape. */
function guardBodyParser(parser: Middleware): Middleware {
  return (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (err?: unknown) => {
      if (!err) return next();

      // This runs before the request logger, which has not assigned the request id yet.
      const status = clientErrorStatus(err);
      const body: ErrorBody = {
        statusCode: status,
        error: STATUS_TEXT[status] ?? 'Bad Request',
        message: BODY_PROBLEMS[status] ?? 'The request body is not valid JSON',
        requestId: (req as Request & { id?: string }).id ?? requestId(req, res),
      };
      res.status(status).json(body);
    });
}

function clientErrorStatus(err: unknown): number {
  const status = (err as { status?: unknown }).status;

  return typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
}
