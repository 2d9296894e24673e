import { envSchema } from './env.schema';

/** Validates the raw environment; the thrown message names every bad or missing variable. */
export function validateEnv(raw: Record<string, unknown>): Record<string, unknown> {
  const { error, value } = envSchema.validate(raw, { abortEarly: false, convert: true });
  if (error) {
    const problems = error.details.map((d) => `  - ${d.message.replace(/"/g, '')}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }

  return value as Record<string, unknown>;
}
