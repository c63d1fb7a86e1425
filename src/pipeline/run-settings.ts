/**
 * What a run records about itself: its settings with every secret masked, and the product's version.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import { RECORD_RULES_VERSION } from '../records/field-spec.js';
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
    recordRules: RECORD_RULES_VERSION,
    iamRole: settings.iamRole,
    s3: { region: settings.s3.region, endpoint: settings.s3.endpoint, noSignRequest: settings.s3.noSignRequest },
    configFile: settings.configFile,
  };
}

let version: string | undefined;

/**
 * The version in sparkify's package.json: the nearest one above this module, two levels up from dist/ and
 * src/, three from the benchmark's build (.bench-build/src/pipeline/).
 */
export function sparkifyVersion(): string {
  if (version !== undefined) return version;
  for (let folder = new URL('./', import.meta.url); ; folder = new URL('../', folder)) {
    const file = new URL('package.json', folder);
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (manifest.name === 'sparkify') {
        version = manifest.version;
        return version;
      }
    }
    // The root is its own parent (`/` here, `/C:/` on Windows): nothing above it.
    if (new URL('../', folder).href === folder.href) throw new Error(`No package.json of sparkify above ${import.meta.url}`);
  }
}
