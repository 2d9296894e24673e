import { PartialType } from '@nestjs/mapped-types';
import { ContactFields } from './contact-fields';

export class UpdateContactDto extends PartialType(ContactFields) {}
