/** Response headers as the SDKs hand them over: lower- or mixed-case names, string values. */
export type ResponseHeaders = Record<string, unknown> | null | undefined;

/** A header's value, whatever the case of its name. */
export function headerValue(headers: ResponseHeaders, name: string): string | null {
  if (!headers) return null;

  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : null;

  return value === undefined || value === null ? null : String(value);
}

/** Milliseconds until a reset given in epoch seconds (small numbers are read as seconds from now). */
export function delayUntilEpochSeconds(value: string | null, now: number): number | null {
  const seconds = parseNumber(value);
  if (seconds === null) return null;

  // Some gateways send the seconds left rather than the instant; no epoch is that small.
  const resetAt = seconds < 1_000_000_000 ? now + seconds * 1000 : seconds * 1000;

  return Math.max(0, Math.ceil(resetAt - now));
}

/** Milliseconds a Retry-After asks for: delay seconds, or an HTTP date. */
export function delayFromRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;

  const seconds = parseNumber(value);
  if (seconds !== null) return Math.max(0, Math.ceil(seconds * 1000));

  const at = Date.parse(value);

  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The longest of the delays that were given, or null when none was. */
export function longestDelay(...delays: (number | null)[]): number | null {
  const given = delays.filter((d): d is number => d !== null);

  return given.length === 0 ? null : Math.max(...given);
}

function parseNumber(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;

  const n = Number(value);

  return Number.isFinite(n) && n >= 0 ? n : null;
}
