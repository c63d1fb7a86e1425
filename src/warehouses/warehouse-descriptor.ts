/**
 * What each warehouse folder exports: one descriptor saying which URLs it answers to, which settings it
 * reads, how to open it and how to plan a run on it. `warehouse-registry.ts` lists them; nothing else in
 * the product names a warehouse, so a new one (MotherDuck, Snowflake) is one folder and one registry line.
 *
 * A descriptor module must stay light: drivers (`pg`, `@duckdb/node-api`) load inside `open`, and dialects
 * inside `planner`, so that parsing a URL or planning for DuckDB never loads PostgreSQL's code.
 */
import type { SettingKey } from '../config/setting-layer.js';
import type { SqlDialect } from './sql/sql-dialect.js';
import type { StagingDataset, StorageSettings, Warehouse, WarehouseOpenOptions, WarehouseTarget } from './warehouse.js';

/** One step of a warehouse's staging, for `sparkify plan`: a statement, a comment saying why, or both. */
export interface PlannedStagingStep {
  /** The dataset whose stage sends it. */
  readonly dataset: StagingDataset['name'];
  readonly sql?: string;
  readonly comment?: string;
}

/** How a run plans on one kind of warehouse: its dialect, and the statements of its staging step. */
export interface WarehousePlanner {
  readonly dialect: SqlDialect;
  /** The staging steps of `datasets` (songs, then events), in the order a run sends them. */
  staging(settings: StorageSettings, datasets: readonly StagingDataset[]): PlannedStagingStep[];
  /** The warehouse COPYs the whole source into staging itself: no batch, no ledger, a full publish. */
  readonly storage?: boolean;
  /**
   * With `storage`: the warehouse can also load staged through S3 (Redshift's `--s3-staging`); a run whose
   * settings ask for it is then planned as an incremental run with batch tables and a ledger.
   */
  readonly stagedLoading?: boolean;
}

/** A kind of warehouse; see the module comment. `T` is the target its `parse` returns. */
export interface WarehouseDescriptor<T extends WarehouseTarget = WarehouseTarget> {
  /** The `kind` of its targets; unique in the registry. */
  readonly kind: string;
  /** Its name for people, as messages print it: `DuckDB`. */
  readonly title: string;
  /** The URL schemes it answers to (the part before `:`, lower case). */
  readonly schemes: readonly string[];
  /** The shape of its URL, for the message that lists what is accepted: `duckdb:<file>`. */
  readonly example: string;
  /** Settings beyond the URL that it reads (`schema`, `iamRole`); any other warehouse refuses `schema`. */
  readonly settings: readonly SettingKey[];
  /** Parses a URL with one of `schemes`; `origin` names where it came from, for a ConfigError. */
  parse(value: string, origin: string): T;
  /** A printable name for `target`, with no secret in it. */
  describe(target: T): string;
  /** Secrets `target` holds (a password), which a plan must mask wherever they appear. */
  secrets(target: T): string[];
  /** Connects to `target`; the caller closes the result. */
  open(target: T, options: WarehouseOpenOptions): Promise<Warehouse>;
  /** Its dialect and staging statements, without connecting (and without loading a driver). */
  planner(target: T): Promise<WarehousePlanner>;
}
