import { STATUS_CODES } from 'node:http';

export const STATUS_TEXT: Record<number, string> = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([code, text]) => [Number(code), text ?? 'Error']),
);
