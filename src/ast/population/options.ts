/**
 * Strict option checks for the population API: a misspelt key (`includ`) is an error naming it,
 * not an option silently ignored.
 * @packageDocumentation
 */

/**
 * Throws a TypeError naming the first key of `options` that is not in `known`.
 * @param api  the function checked, for the message (`populate`, `discoverFiles`)
 */
export function rejectUnknownKeys(api: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${api}: unknown option "${key}" (known: ${known.map((k) => `"${k}"`).join(", ")})`,
      );
    }
  }
}

/** Throws a TypeError unless `value` is undefined or an array of strings. */
export function checkStringArray(api: string, key: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(`${api}: option "${key}" must be an array of strings`);
  }
}

/** Throws a TypeError unless `value` is undefined or a boolean. */
export function checkBoolean(api: string, key: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`${api}: option "${key}" must be a boolean, got ${String(value)}`);
  }
}

/** Throws a TypeError unless `value` is undefined or a function. */
export function checkFunction(api: string, key: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(`${api}: option "${key}" must be a function`);
  }
}
