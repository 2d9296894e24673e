import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: new rows sort last, which keeps cursor pagination stable. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID.test(value);
}

export function nowIso(): string {
  return new Date().toISOString();
}
