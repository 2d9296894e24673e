import { Kysely } from 'kysely';
import { Schema } from './schema';

/** DI token for the service's Kysely instance; repositories inject it. */
export abstract class Database extends Kysely<Schema> {}
