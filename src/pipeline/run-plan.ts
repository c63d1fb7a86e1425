/**
 * `planRun`: every SQL statement a run would send to its warehouse, in order, without connecting. It is
 * composed from the very builders `run()` executes (prepareLoadStatements, each warehouse's staging step,
 * plannedPublish), so the plan cannot drift from the run. `sparkify plan` prints it.
 */
import type { Settings } from '../config/settings.js';
import { LOAD_ERRORS } from '../schema/staging-tables.js';
import type { TableSpec } from '../schema/table-spec.js';
import type { SqlDialect } from '../warehouses/sql/sql-dialect.js';
import { describeTarget } from '../warehouses/warehouse-target.js';
import type { WarehouseTarget } from '../warehouses/warehouse-target.js';
import { EVENT_DATASET, SONG_DATASET, type DatasetSpec } from './dataset-stager.js';
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

/** How one kind of warehouse plans: its dialect and the statements of its staging step. */
interface WarehousePlanner {
  readonly dialect: SqlDialect;
  staging(settings: Settings): PlannedStatement[];
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
  const { dialect, staging } = await plannerFor(settings.warehouse);
  const publish = plannedPublish(dialect).map((step): PlannedStatement => ({ stage: 'publish', ...step }));
  const steps: PlannedStatement[] = [
    ...prepareLoadStatements(dialect).map((sql): PlannedStatement => ({ stage: 'create-tables', sql })),
    ...staging(settings),
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

// Dialects and staging builders load on demand, so planning for DuckDB never loads the Redshift code and no
// plan ever loads a driver.
async function plannerFor(target: WarehouseTarget): Promise<WarehousePlanner> {
  switch (target.kind) {
    case 'duckdb': {
      const { DuckDbDialect } = await import('../warehouses/duckdb/duckdb-dialect.js');
      const how: StreamedLoad = {
        errors: "DuckDB's Appender",
        rows: (table) =>
          `into Parquet segment files, which DuckDB loads with INSERT INTO ${table.name} SELECT ... FROM read_parquet([...])`,
      };
      return { dialect: new DuckDbDialect(), staging: (settings) => streamedStaging(settings, () => undefined, how) };
    }
    case 'postgres': {
      const [{ PostgresDialect }, { copyFromStdinSql }] = await Promise.all([
        import('../warehouses/postgres/postgres-dialect.js'),
        import('../warehouses/postgres/postgres-copy-format.js'),
      ]);
      const dialect = new PostgresDialect();
      const copy = (table: TableSpec) => copyFromStdinSql(table, (name) => dialect.quote(name));
      const how: StreamedLoad = { errors: 'COPY FROM STDIN (CSV)', rows: (table) => `as CSV through this COPY into ${table.name}` };
      return { dialect, staging: (settings) => streamedStaging(settings, copy, how) };
    }
    case 'redshift':
    case 'redshift-data': {
      // The Data API sends the very statements a connection would.
      const [{ RedshiftDialect }, { insertLoadErrorsSql, redshiftStagingSql }] = await Promise.all([
        import('../warehouses/redshift/redshift-dialect.js'),
        import('../warehouses/redshift/redshift-copy-sql.js'),
      ]);
      const dialect = new RedshiftDialect();
      const staging = (settings: Settings) =>
        DATASETS.flatMap((dataset): PlannedStatement[] => {
          const sql = redshiftStagingSql(dataset, settings, dialect);
          return [
            {
              stage: dataset.stage,
              sql: sql.copy,
              comment: `The cluster reads every object under ${sql.source} itself, in parallel across its slices, as IAM role ${sql.iamRole}.`,
            },
            { stage: dataset.stage, sql: sql.countFiles, comment: 'How many files that COPY loaded, for the summary.' },
            {
              stage: dataset.stage,
              sql: sql.readErrors,
              comment: 'The records that COPY rejected, read back (the count is the run summary\'s "rejected").',
            },
            {
              stage: dataset.stage,
              sql: insertLoadErrorsSql(1, dialect),
              comment: `Only when there were rejects: they go into ${LOAD_ERRORS.name}, many rows per INSERT.`,
            },
          ];
        });
      return { dialect, staging };
    }
  }
}

/** How a warehouse that sparkify feeds itself takes rejects and staging rows, for the plan's comments. */
interface StreamedLoad {
  readonly errors: string;
  rows(table: TableSpec): string;
}

/** The staging step of a warehouse that sparkify feeds itself: `load(table)` is its bulk-load statement. */
function streamedStaging(settings: Settings, load: (table: TableSpec) => string | undefined, how: StreamedLoad): PlannedStatement[] {
  const locations: Record<DatasetSpec['name'], string> = { songs: settings.songData, events: settings.logData };
  const errors = load(LOAD_ERRORS);
  const steps: PlannedStatement[] = [
    {
      stage: SONG_DATASET.stage,
      ...(errors === undefined ? {} : { sql: errors }),
      comment: `Rejected records of both datasets are written to ${LOAD_ERRORS.name} through ${how.errors} while the two loads run.`,
    },
  ];
  for (const dataset of DATASETS) {
    const sql = load(dataset.table);
    steps.push({
      stage: dataset.stage,
      ...(sql === undefined ? {} : { sql }),
      comment:
        `sparkify reads the ${dataset.name === 'songs' ? 'song' : 'log'} files under ${locations[dataset.name]} (local files in worker ` +
        `threads on every core), checks each record and writes the good ones ${how.rows(dataset.table)}.`,
    });
  }
  return steps;
}

// Nothing planned holds a password, but a value taken from the settings could (a URL pasted into a
// location): every statement and comment goes through this before it is returned.
function secretMasker(target: WarehouseTarget): (text: string) => string {
  const secrets: string[] = [];
  if ((target.kind === 'postgres' || target.kind === 'redshift') && target.url) {
    try {
      const password = new URL(target.url).password;
      if (password) secrets.push(password, decodeURIComponent(password));
    } catch {
      // parseWarehouseTarget has validated the URL; nothing to mask if it somehow does not parse.
    }
  }
  return (text) => {
    let masked = text
      .replace(/([a-z]+:\/\/[^:/@\s']*:)[^@\s']*@/gi, '$1***@')
      .replace(/(aws_secret_access_key=|aws_session_token=|password=)[^;&'\s]*/gi, '$1***')
      .replace(/((?:SECRET_ACCESS_KEY|SESSION_TOKEN)\s+')[^']*/gi, '$1***');
    for (const secret of secrets.filter((value) => value.length >= 4)) masked = masked.replaceAll(secret, '***');
    return masked;
  };
}
