import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** The one JSON body every error answer of the API has. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
  requestId?: string;
}

/** Bad input: names each field and what is wrong with it. */
export class InvalidInputException extends HttpException {
  constructor(details: FieldProblem[], message = 'The request has invalid fields') {
    super({ message, details }, HttpStatus.BAD_REQUEST);
  }
}

/** Missing, or owned by another org: both answer the same, so ids cannot be probed. */
export class ResourceNotFoundException extends HttpException {
  constructor(resource: string) {
    super({ message: `${resource} not found` }, HttpStatus.NOT_FOUND);
  }
}

export class StateConflictException extends HttpException {
  constructor(message: string) {
    super({ message }, HttpStatus.CONFLICT);
  }
}
