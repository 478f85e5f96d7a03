import { isRecord } from '../../rules/is-record';

/** Reports a bad field: the loader prefixes the environment and throws a ConfigError. */
export type Fail = (field: string, problem: string) => never;

export { isRecord };

/**
 * A nested settings object whose fields are all known: a typo such as `rateLimt` fails
 * instead of silently leaving the default in place.
 * @param shape shown when the value is not an object, e.g. `{rateLimit, burstLimit}`
 */
export function objectWithKnownFields(
  value: unknown,
  field: string,
  known: readonly string[],
  fail: Fail,
  shape?: string,
): Record<string, unknown> {
  if (!isRecord(value)) fail(field, `must be an object${shape ? ` ${shape}` : ''}, got ${JSON.stringify(value)}`);
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).find((key) => !known.includes(key));
  if (extra !== undefined) fail(`${field}.${extra}`, `is not a known field (expected ${known.join(', ')})`);
  return record;
}
