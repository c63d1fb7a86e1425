/**
 * How a setting's text is checked: one pattern, and for some a conversion with a range. Every setting of
 * sparkify is one string from a flag, a variable or a dwh.cfg key, so plain regular expressions do it. (zod
 * did it before: it loads 194 modules, 0.11 s of the start-up of every command on Node 20, for these checks.)
 */

/** A check of one setting's text. */
export interface TextRule<T> {
  readonly pattern: RegExp;
  /** The value of a text that matched `pattern`; undefined when it is still out of range. */
  readonly convert: (text: string) => T | undefined;
}

/** Text that matches `pattern`, kept as it is or converted by `convert`. */
export function textRule<T = string>(pattern: RegExp, convert: (text: string) => T | undefined = (text) => text as T): TextRule<T> {
  return { pattern, convert };
}

/** One of `values`, exactly. */
export function oneOf<T extends string>(values: readonly T[]): TextRule<T> {
  return textRule(/^/, (text) => (values.includes(text as T) ? (text as T) : undefined));
}

/** A whole number from `min` to `max`, written in digits only. */
export function wholeNumber(min = 0, max = Number.POSITIVE_INFINITY): TextRule<number> {
  return textRule(/^\d+$/, (text) => {
    const value = Number(text);
    return value >= min && value <= max ? value : undefined;
  });
}

/** The value of `text` under `rule`, or undefined when it does not pass. */
export function checkText<T>(rule: TextRule<T>, text: string): T | undefined {
  return rule.pattern.test(text) ? rule.convert(text) : undefined;
}
