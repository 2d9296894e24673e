import { ContactFields } from './contact-fields';

/** One contact to create, or to update when its email (case-insensitive) already exists. */
export class UpsertContactDto extends ContactFields {}

export const MAX_CONTACTS_PER_REQUEST = 10_000;
