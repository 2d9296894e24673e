import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { ErrorBody, FieldProblem } from './api-error';
import { STATUS_TEXT } from './status-text';

/** Turns every thrown error into the API's one error shape; unexpected ones are logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext('Errors');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const body = this.toBody(exception);
    body.requestId = req.id === undefined ? undefined : String(req.id);

    if (body.statusCode >= 500) {
      this.logger.error(
        { event: 'http.unhandled_error', requestId: body.requestId, err: exception },
        'unhandled error',
      );
    }
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      const fields =
        typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      const message = typeof raw === 'string' ? raw : messageOf(fields.message, exception.message);
      const details = Array.isArray(fields.details)
        ? (fields.details as FieldProblem[])
        : undefined;

      return { statusCode, error: STATUS_TEXT[statusCode] ?? 'Error', message, details };
    }

    const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;

    return { statusCode, error: STATUS_TEXT[statusCode], message: 'Internal server error' };
  }
}

function messageOf(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('; ');

  return fallback;
}
