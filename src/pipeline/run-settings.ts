/**
 * What a run records about itself: its settings with every secret masked, and the product's version.
 */
import { readFileSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import { describeTarget } from '../warehouses/warehouse-target.js';

/** The settings as the runs table keeps them: the warehouse without its password, no credentials at all. */
export function maskedSettings(settings: Settings): Record<string, unknown> {
  return {
    warehouse: describeTarget(settings.warehouse),
    songData: settings.songData,
    logData: settings.logData,
    bundledSample: settings.bundledSample,
    maxErrors: settings.maxErrors,
    match: settings.match,
    iamRole: settings.iamRole,
    s3: { region: settings.s3.region, endpoint: settings.s3.endpoint, noSignRequest: settings.s3.noSignRequest },
    configFile: settings.configFile,
  };
}

let version: string | undefined;

/** The version in package.json (two levels above dist/pipeline/ and src/pipeline/ alike). */
export function sparkifyVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
