/**
 * The sparkify library: everything the CLI does, callable from a program.
 *
 * @example
 * import { run, query } from 'sparkify';
 * await run({ options: { source: './my-data' } });
 * console.log(await query('select count(*) as plays from songplays'));
 */
export { run, etl, createTables, type RunOptions } from './pipeline/run.js';
export { query, queryWithColumns, type QueryOptions, type QueryResult } from './pipeline/query.js';
export { check, type CheckOptions } from './pipeline/check.js';
export {
  explainMatches,
  type ExplainMatchesOptions,
  type MatchExplanation,
  type MatchCauseSummary,
  type MatchExample,
} from './pipeline/match-explanation.js';
export type { MatchCause } from './warehouses/sql/match-explanation-sql.js';
export type { MatchMode } from './warehouses/sql/match-sql.js';
export type { CheckReport, CheckResult, CheckSeverity, CheckStatus, CheckPhase, CheckDefinition } from './checks/check-report.js';
// Load ECharts and Hono only when called.
export { report, dashboard } from './report/report-entry.js';
export type { ReportOptions, ReportResult } from './report/report.js';
export type { DashboardOptions, RunningDashboard } from './dashboard/dashboard-server.js';
export { parseReportFilters, type ReportFilters } from './report/report-filters.js';
export { NAMED_QUERIES, namedQuery, type NamedQuery, type BoundQuery } from './report/named-queries.js';
export { planRun, formatPlan, type PlannedStatement } from './pipeline/run-plan.js';
export { generate, type GenerateResult } from './generator/generate.js';
export type { GenerateOptions, GenerateProgress } from './generator/generator-options.js';
// Loads the AWS SDK only when called.
export { measureS3FetchRate, type S3FetchRate, type S3FetchRateOptions } from './sources/s3/s3-fetch-rate.js';
export type { RunSummary, DatasetSummary } from './pipeline/run-summary.js';
export type { ProgressEvent, ProgressListener, StageName } from './pipeline/progress.js';
export {
  loadSettings,
  BUNDLED_SAMPLE,
  type Settings,
  type S3Settings,
  type LoadSettingsInput,
  type SettingOptions,
} from './config/settings.js';
export type { SettingLayer, SettingKey, SettingValue } from './config/setting-layer.js';
export { parseWarehouseTarget, redactUrl, type WarehouseTarget } from './warehouses/warehouse-target.js';
export { openWarehouse, openReadOnlyWarehouse, withWarehouse } from './warehouses/open-warehouse.js';
export type { Warehouse, TableWriter, ResultRow, QueryParam, QueryTable, TransactionOptions } from './warehouses/warehouse.js';
// The seams a program extends: a warehouse of its own, registered beside the built-in ones.
export { registerWarehouse } from './warehouses/warehouse-registry.js';
export type { WarehouseDescriptor, WarehousePlanner, PlannedStagingStep } from './warehouses/warehouse-descriptor.js';
export type {
  WarehouseIntake,
  StagingLoad,
  ParquetFileLoad,
  CsvChunkLoad,
  StagingDataset,
  StorageSettings,
  StorageStageResult,
  WarehouseOpenOptions,
} from './warehouses/warehouse.js';
export type { DataLocation, SourceObject } from './sources/source.js';
export {
  SparkifyError,
  ConfigError,
  SourceError,
  WarehouseError,
  QueryError,
  TooManyRejectsError,
  QualityCheckError,
  RunLockedError,
  InterruptedError,
} from './errors.js';
export { uniqueColumnNames, rowObjects } from './warehouses/query-table.js';
export type { RunLockOwner, RunLockOptions, ReleaseRunLock } from './warehouses/run-lock.js';
// sparkify infra: loads the AWS SDK's IAM, Redshift, EC2, STS and Serverless clients only when called.
export {
  infraUp,
  infraStatus,
  infraDown,
  loadInfraSettings,
  type InfraSettings,
  type InfraFlags,
  type InfraUpResult,
  type InfraStatus,
  type InfraDownResult,
  type InfraHooks,
  type InfraEvent,
  type InfraListener,
} from './infra/infra.js';
export { InfraError } from './infra/infra-errors.js';
