import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';

export const MAX_ATTRIBUTES = 100;
const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function isFlatAttributes(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);

  return (
    entries.length <= MAX_ATTRIBUTES &&
    entries.every(
      ([key, v]) =>
        ATTRIBUTE_KEY.test(key) &&
        (typeof v === 'boolean' ||
          (typeof v === 'number' && Number.isFinite(v)) ||
          (typeof v === 'string' && v.length <= 2000)),
    )
  );
}

/** A flat object whose keys are identifiers and whose values are strings, numbers or booleans. */
export function IsFlatAttributes(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isFlatAttributes',
      validator: {
        validate: isFlatAttributes,
        defaultMessage: () =>
          `must be a flat object of at most ${MAX_ATTRIBUTES} identifier keys with string, number or boolean values`,
      },
    },
    options,
  );
}

/** The fields a contact is written with; each DTO says which of them it requires. */
export class ContactFields {
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  firstName?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  lastName?: string | null;

  @IsOptional()
  @IsFlatAttributes()
  attributes?: Record<string, string | number | boolean>;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(/^\S(.*\S)?$/, {
    each: true,
    message: 'each tag must be a non-empty string without surrounding spaces',
  })
  tags?: string[];
}
