/**
 * `planRun`: every SQL statement a run would send to its warehouse, in order, without connecting. It is
 * composed from the very builders `run()` executes (prepareLoadStatements, each warehouse's staging step,
 * plannedPublish), so the plan cannot drift from the run. `sparkify plan` prints it.
 */
import type { Settings } from '../config/settings.js';
import { descriptorOf } from '../warehouses/warehouse-registry.js';
import { describeTarget, targetSecrets } from '../warehouses/warehouse-target.js';
import type { WarehouseTarget } from '../warehouses/warehouse-target.js';
import { EVENT_DATASET, SONG_DATASET, type DatasetSpec } from './dataset-spec.js';
import type { StageName } from './progress.js';
import { prepareLoadStatements } from './schema-setup.js';
import { plannedPublish } from './star-publisher.js';

/** One step of a run: a statement as the warehouse receives it, a comment saying why, or both. */
export interface PlannedStatement {
  /** The stage of the run that sends it. */
  readonly stage: StageName;
  /** The SQL; absent for a step that is no single statement (a load streamed through an Appender). */
  readonly sql?: string;
  /** What the step does, printed as `--` lines above the SQL. */
  readonly comment?: string;
}

const DATASETS: readonly DatasetSpec[] = [SONG_DATASET, EVENT_DATASET];

/**
 * The statements `run(settings)` would execute, in order, with secrets masked. Never connects; loads only
 * the dialect of the configured warehouse (no driver). Throws what the run would throw for settings that
 * cannot work (a ConfigError, such as a Redshift run with no IAM role).
 *
 * @example
 * for (const step of await planRun(loadSettings({ configFile: 'dwh.cfg' }))) console.log(step.sql);
 */
export async function planRun(settings: Settings): Promise<PlannedStatement[]> {
  // The descriptor loads only its own dialect and SQL builders, never a driver.
  const { dialect, staging } = await descriptorOf(settings.warehouse).planner(settings.warehouse);
  const stageOf = (name: DatasetSpec['name']) => DATASETS.find((dataset) => dataset.name === name)!.stage;
  const publish = plannedPublish(dialect).map((step): PlannedStatement => ({ stage: 'publish', ...step }));
  const steps: PlannedStatement[] = [
    ...prepareLoadStatements(dialect).map((sql): PlannedStatement => ({ stage: 'create-tables', sql })),
    ...staging(settings, DATASETS).map(({ dataset, ...step }): PlannedStatement => ({ stage: stageOf(dataset), ...step })),
    { stage: 'publish', sql: 'BEGIN', comment: 'One transaction: readers see the old star tables or the new ones, never a mix.' },
    ...publish,
    { stage: 'publish', sql: 'COMMIT' },
    { stage: 'publish', comment: 'Then read-only COUNT(*) queries on the staging and star tables, for the summary.' },
  ];
  const mask = secretMasker(settings.warehouse);
  return steps.map((step) => ({
    stage: step.stage,
    ...(step.sql === undefined ? {} : { sql: mask(step.sql) }),
    ...(step.comment === undefined ? {} : { comment: mask(step.comment) }),
  }));
}

/** The plan as a SQL script: a header, then each statement ended by `;`, with its comment above it. */
export function formatPlan(steps: readonly PlannedStatement[], settings: Settings): string {
  const lines = [`-- sparkify plan for ${describeTarget(settings.warehouse)}: the statements a run sends, in order (nothing was run)`];
  let stage: StageName | undefined;
  for (const step of steps) {
    if (step.stage !== stage) {
      stage = step.stage;
      lines.push('', `-- ==== ${stage} ====`);
    }
    lines.push('');
    if (step.comment) lines.push(...step.comment.split('\n').map((line) => `-- ${line}`));
    if (step.sql) lines.push(`${step.sql};`);
  }
  return `${lines.join('\n')}\n`;
}

// Nothing planned holds a password, but a value taken from the settings could (a URL pasted into a
// location): every statement and comment goes through this before it is returned.
function secretMasker(target: WarehouseTarget): (text: string) => string {
  const secrets = targetSecrets(target);
  return (text) => {
    let masked = text
      .replace(/([a-z]+:\/\/[^:/@\s']*:)[^@\s']*@/gi, '$1***@')
      .replace(/(aws_secret_access_key=|aws_session_token=|password=)[^;&'\s]*/gi, '$1***')
      .replace(/((?:SECRET_ACCESS_KEY|SESSION_TOKEN)\s+')[^']*/gi, '$1***');
    for (const secret of secrets.filter((value) => value.length >= 4)) masked = masked.replaceAll(secret, '***');
    return masked;
  };
}
