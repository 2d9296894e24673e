import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, InvalidInputException } from './api-error';

/** Flattens class-validator errors into `{ field, reason }` pairs with dotted field paths. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({
      field,
      reason: reason.replace(/^property \S+ /, '').replace(new RegExp(`^${error.property} `), ''),
    }));

    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
};

/** The global pipe: unknown fields rejected, every problem reported with its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    exceptionFactory: (errors) => new InvalidInputException(fieldProblems(errors)),
  });
}
