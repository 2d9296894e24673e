import { ArgumentsHost, BadRequestException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PinoLogger } from 'nestjs-pino';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { InvalidInputException, ResourceNotFoundException } from './api-error';

/** Records what the filter logs, in place of the real logger. */
class RecordingLogger {
  readonly errors: { fields: Record<string, unknown>; message: string }[] = [];

  setContext(): void {}

  error(fields: Record<string, unknown>, message: string): void {
    this.errors.push({ fields, message });
  }
}

class FakeResponse {
  statusCode = 0;
  body: unknown;
  headersSent = false;

  status(code: number): this {
    this.statusCode = code;

    return this;
  }

  json(body: unknown): this {
    this.body = body;

    return this;
  }
}

function httpHost(res: FakeResponse, requestId = 'req-123'): ArgumentsHost {
  const req = { id: requestId };

  return {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
}

describe('AllExceptionsFilter', () => {
  let filter: AllExceptionsFilter;
  let logger: RecordingLogger;

  beforeEach(async () => {
    logger = new RecordingLogger();
    const moduleRef = await Test.createTestingModule({
      providers: [AllExceptionsFilter, { provide: PinoLogger, useValue: logger }],
    }).compile();
    filter = moduleRef.get(AllExceptionsFilter);
  });

  it('answers an unexpected error with 500, a request id and nothing internal', () => {
    const res = new FakeResponse();
    const error = new Error('relation "contacts" does not exist at /srv/app/db.js');

    filter.catch(error, httpHost(res));

    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      requestId: 'req-123',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/relation|contacts|srv|stack/);
  });

  it('logs an unexpected error with its request id and the error itself', () => {
    const error = new TypeError('boom');

    filter.catch(error, httpHost(new FakeResponse(), 'req-9'));

    expect(logger.errors).toEqual([
      {
        fields: { event: 'http.unhandled_error', requestId: 'req-9', err: error },
        message: 'unhandled error',
      },
    ]);
  });

  it('treats a thrown non-Error value as unexpected too', () => {
    const res = new FakeResponse();

    filter.catch('a string', httpHost(res));

    expect(res.statusCode).toBe(500);
    expect(logger.errors).toHaveLength(1);
  });

  it('keeps the field details of a 400 and does not log it', () => {
    const res = new FakeResponse();

    filter.catch(new InvalidInputException([{ field: 'email', reason: 'is bad' }]), httpHost(res));

    expect(res.statusCode).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request has invalid fields',
      details: [{ field: 'email', reason: 'is bad' }],
      requestId: 'req-123',
    });
    expect(logger.errors).toEqual([]);
  });

  it("answers Nest's own HTTP exceptions in the same shape", () => {
    const notFound = new FakeResponse();
    const badRequest = new FakeResponse();

    filter.catch(new ResourceNotFoundException('Contact'), httpHost(notFound));
    filter.catch(new BadRequestException(['a is wrong', 'b is wrong']), httpHost(badRequest));

    expect(notFound.body).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      message: 'Contact not found',
    });
    expect(badRequest.body).toMatchObject({ statusCode: 400, message: 'a is wrong; b is wrong' });
  });

  it('does not write a second answer when headers were already sent, but still logs', () => {
    const res = new FakeResponse();
    res.headersSent = true;

    filter.catch(new Error('late'), httpHost(res));

    expect(res.statusCode).toBe(0);
    expect(logger.errors).toHaveLength(1);
  });
});
