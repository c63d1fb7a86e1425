/**
 * Settings from `SPARKIFY_*` environment variables.
 */
import { setIfPresent, type SettingKey, type SettingLayer } from './setting-layer.js';

/** Each environment variable and the setting it feeds. */
const ENVIRONMENT_VARIABLES: Readonly<Record<string, SettingKey>> = {
  SPARKIFY_WAREHOUSE: 'warehouse',
  SPARKIFY_SCHEMA: 'schema',
  SPARKIFY_SOURCE: 'source',
  SPARKIFY_SONG_DATA: 'songData',
  SPARKIFY_LOG_DATA: 'logData',
  SPARKIFY_LOG_JSONPATH: 'logJsonPath',
  SPARKIFY_MAX_ERRORS: 'maxErrors',
  SPARKIFY_IAM_ROLE: 'iamRole',
  SPARKIFY_REGION: 'region',
  SPARKIFY_S3_ENDPOINT: 's3Endpoint',
  SPARKIFY_NO_SIGN_REQUEST: 'noSignRequest',
  SPARKIFY_S3_CONCURRENCY: 's3Concurrency',
  SPARKIFY_CHECKS: 'checks',
  SPARKIFY_MIN_MATCH_RATE: 'minMatchRate',
  SPARKIFY_MATCH: 'match',
  SPARKIFY_S3_STAGING: 's3Staging',
  SPARKIFY_REDSHIFT_LOAD: 'redshiftLoad',
  SPARKIFY_KEEP_STAGING: 'keepStaging',
};

/** The setting layer made of the `SPARKIFY_*` variables set in `env`. */
export function environmentLayer(env: NodeJS.ProcessEnv): SettingLayer {
  const layer: SettingLayer = {};
  for (const [variable, key] of Object.entries(ENVIRONMENT_VARIABLES)) {
    setIfPresent(layer, key, env[variable], `${variable} (environment)`);
  }
  return layer;
}
