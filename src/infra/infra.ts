/**
 * The public face of `sparkify infra`: the same calls as infra-lifecycle.ts, loading it (and the AWS SDK's
 * IAM, Redshift, EC2, STS and Serverless clients) only when one is made, so importing sparkify stays cheap.
 *
 * @example
 * import { infraUp, loadInfraSettings } from 'sparkify';
 * const result = await infraUp(loadInfraSettings({ config: 'dwh.cfg' }));
 * console.log(result.warehouse); // redshift-data://cluster/sparkify-dwh/dwh?db_user=dwhuser
 */
import type { InfraDownResult, InfraHooks, InfraStatus, InfraUpResult } from './infra-lifecycle.js';
import type { InfraSettings } from './infra-settings.js';

export type { InfraDownResult, InfraHooks, InfraStatus, InfraUpResult } from './infra-lifecycle.js';
export { type InfraFlags, type InfraSettings, loadInfraSettings } from './infra-settings.js';
export type { InfraEvent, InfraListener } from './infra-wait.js';

/** Finds or creates the role and the warehouse, waits until it is available, writes dwh.cfg. */
export async function infraUp(settings: InfraSettings, hooks?: InfraHooks): Promise<InfraUpResult> {
  return (await import('./infra-lifecycle.js')).infraUp(settings, hooks);
}

/** What exists, its state, endpoint and cost per hour. */
export async function infraStatus(settings: InfraSettings, hooks?: InfraHooks): Promise<InfraStatus> {
  return (await import('./infra-lifecycle.js')).infraStatus(settings, hooks);
}

/** Deletes what `infraUp` made (only that), waiting until it is gone. Ask the user first. */
export async function infraDown(settings: InfraSettings, hooks?: InfraHooks): Promise<InfraDownResult> {
  return (await import('./infra-lifecycle.js')).infraDown(settings, hooks);
}
