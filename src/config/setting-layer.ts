/**
 * A layer of settings (flags, environment, config file, defaults): raw values, each with where it came
 * from, so a validation error can name the exact flag, variable or key to fix.
 */

/** Every setting the product reads. */
export type SettingKey =
  | 'warehouse'
  | 'schema'
  | 'source'
  | 'songData'
  | 'logData'
  | 'logJsonPath'
  | 'maxErrors'
  | 'iamRole'
  | 'region'
  | 's3Endpoint'
  | 'noSignRequest'
  | 's3Concurrency'
  | 'checks'
  | 'minMatchRate'
  | 'match'
  | 's3Staging'
  | 'redshiftLoad'
  | 'keepStaging';

/** A raw value and its origin, such as `--max-errors`, `SPARKIFY_MAX_ERRORS` or `dwh.cfg [S3] LOG_DATA`. */
export interface SettingValue {
  readonly value: string;
  readonly origin: string;
  /** Why the value cannot be used (a placeholder such as `<ENDPOINT>`): the error to raise if the run needs it. */
  readonly unusable?: string;
}

/** One layer's values; keys it does not set are absent. */
export type SettingLayer = Partial<Record<SettingKey, SettingValue>>;

/** Adds `value` to `layer` under `key` when it is a non-empty string. */
export function setIfPresent(layer: SettingLayer, key: SettingKey, value: string | undefined, origin: string): void {
  if (value !== undefined && value.trim() !== '') layer[key] = { value: value.trim(), origin };
}
