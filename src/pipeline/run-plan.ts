/**
 * `planRun`: every SQL statement a run would send to its warehouse, in order, without connecting. It is
 * composed from the very builders `run()` executes (prepareLoadStatements, each warehouse's staging step,
 * publishStatements), so the plan cannot drift from the run. `sparkify plan` prints it.
 */
import type { Settings } from '../config/settings.js';
import { descriptorOf } from '../warehouses/warehouse-registry.js';
import { describeTarget, targetSecrets } from '../warehouses/warehouse-target.js';
import type { WarehouseTarget } from '../warehouses/warehouse-target.js';
import { EVENT_DATASET, SONG_DATASET, type DatasetSpec } from './dataset-spec.js';
import type { StageName } from './progress.js';
import { prepareLoadStatements } from './schema-setup.js';
import { ledgerStatements, runRecordStatement, type RunRecord } from './run-record.js';
import { batchStatements } from './schema-setup.js';
import { publishStatements } from './star-publisher.js';

/** One step of a run: a statement as the warehouse receives it, a comment saying why, or both. */
export interface PlannedStatement {
  /** The stage of the run that sends it. */
  readonly stage: StageName;
  /** The SQL; absent for a step that is no single statement (a load streamed through an Appender). */
  readonly sql?: string;
  /** What the step does, printed as `--` lines above the SQL. */
  readonly comment?: string;
}

function planRecord(mode: RunRecord['mode']): RunRecord {
  const at = new Date(0);
  return {
    runId: 0,
    startedAt: at,
    finishedAt: at,
    status: 'succeeded',
    mode,
    recordsRead: 0,
    recordsRejected: 0,
    version: '',
    settings: {},
    seconds: {},
  };
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
export async function planRun(given: Settings, options: { fullRefresh?: boolean } = {}): Promise<PlannedStatement[]> {
  // The region COPY names is found as a run finds it: configured, known, or asked of S3 (never the warehouse).
  const settings = descriptorOf(given.warehouse).settings.includes('region')
    ? await (await import('../sources/s3/bucket-region.js')).withSourceRegion(given)
    : given;
  // The descriptor loads only its own dialect and SQL builders, never a driver.
  const planner = await descriptorOf(settings.warehouse).planner(settings.warehouse);
  const { dialect, staging } = planner;
  // Staged loading reads the files as on any warehouse: batch tables, a ledger, an incremental publish.
  const storage = (planner.storage ?? false) && !(planner.stagedLoading && settings.storageLoad.mode === 'staged');
  const stageOf = (name: DatasetSpec['name']) => DATASETS.find((dataset) => dataset.name === name)!.stage;
  const kind = storage || options.fullRefresh ? 'full' : 'incremental';
  const publish = publishStatements(dialect, { kind, records: storage ? 'staging' : 'batch', match: settings.match }).map(
    (step): PlannedStatement => ({ stage: 'publish', ...step }),
  );
  const record = storage ? [] : ledgerStatements(dialect, 0, new Date(0), kind === 'full');
  const batch = storage ? [] : batchStatements(dialect, 'create');
  const steps: PlannedStatement[] = [
    ...prepareLoadStatements(dialect, { storage }).map((sql): PlannedStatement => ({ stage: 'create-tables', sql })),
    ...batch.map(
      (sql, index): PlannedStatement => ({
        stage: 'create-tables',
        sql,
        ...(index === 0
          ? {
              comment:
                "This run's records go to batch tables first. The ledger (sparkify_files) is read: only files that are new or " +
                'changed since they were loaded are read (every file with --full-refresh; the days of --from/--to for logs).',
            }
          : {}),
      }),
    ),
    ...staging(settings, DATASETS).map(({ dataset, ...step }): PlannedStatement => ({ stage: stageOf(dataset), ...step })),
    {
      stage: 'publish',
      sql: 'BEGIN',
      comment:
        'One transaction: readers see the old tables or the new ones, never a mix; the ledger and the run record commit with them.' +
        (storage ? '' : '\nA run that finds nothing new publishes nothing: it only records itself in sparkify_runs.') +
        (kind === 'incremental'
          ? '\nShown: an incremental publish. The first load and --full-refresh rebuild every table instead; so does a change of ' +
            '--match or of the record checks, keeping what files removed from the source left.'
          : ''),
    },
    ...publish,
    ...record.map(
      (sql, index): PlannedStatement => ({
        stage: 'publish',
        sql,
        ...(index === 0 ? { comment: 'The ledger rows of the files loaded, with their records counted (read = staged + rejected).' } : {}),
      }),
    ),
    {
      stage: 'publish',
      comment:
        'Then the quality checks (built-in, and the .sql files of --checks): read-only SELECTs; a failing error check rolls back instead.',
    },
    {
      stage: 'publish',
      sql: runRecordStatement(dialect, planRecord(storage ? 'full-refresh' : kind === 'full' ? 'full-refresh' : 'incremental')),
      comment: "The run's row in sparkify_runs (its settings with passwords masked), with the star tables' counts read just before.",
    },
    { stage: 'publish', sql: 'COMMIT' },
    ...(batch.length > 0
      ? [{ stage: 'publish' as const, sql: batchStatements(dialect, 'drop').join(';\n'), comment: 'The batch tables are dropped.' }]
      : []),
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
  const lines = [
    `-- sparkify plan for ${describeTarget(settings.warehouse)}: the statements a run sends, in order (nothing was run)`,
    ...settings.notes.map((note) => `-- note: ${note}`),
  ];
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
