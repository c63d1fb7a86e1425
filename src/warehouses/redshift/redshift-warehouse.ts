/**
 * The Amazon Redshift warehouse. Redshift speaks PostgreSQL's protocol, so this is the PostgreSQL warehouse
 * with what differs overridden: its dialect (sized VARCHARs, distribution and sort keys, IDENTITY), TLS on
 * by default, the default port 5439, messages that name Redshift's usual causes, and staging: the cluster
 * COPYs the files from S3 itself (intake `warehouse-reads-storage`) instead of sparkify streaming them in, which Redshift
 * could not take anyway (it has no COPY FROM STDIN).
 */
import type pg from 'pg';
import { ConfigError, WarehouseError } from '../../errors.js';
import type { TableSpec } from '../../schema/table-spec.js';
import { PostgresWarehouse, type PostgresServerCapabilities } from '../postgres/postgres-warehouse.js';
import { withoutParameter } from '../postgres/postgres-connection.js';
import type { ServerAddress } from '../postgres/postgres-errors.js';
import type { LockSession } from '../postgres/postgres-run-lock.js';
import type { ReleaseRunLock, RunLockOptions, RunLockOwner } from '../run-lock.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type {
  StagingDataset,
  StorageSettings,
  StorageStageResult,
  TableWriter,
  WarehouseIntake,
  WarehouseOpenOptions,
} from '../warehouse.js';
import type { ServerTarget } from '../postgres/postgres-target.js';
import { stageWithCopy, type CopySession } from './redshift-copy-stager.js';
import { RedshiftDialect } from './redshift-dialect.js';
import { openRedshiftStagedLoads } from './redshift-staging-writer.js';
import { acquireLeaseRunLock } from './redshift-run-lock.js';
import { redshiftConnectError } from './redshift-errors.js';

/** Redshift's port, used when the URL names none. */
const REDSHIFT_PORT = 5439;

/**
 * TLS per libpq's sslmode: absent means verify-full, because a cluster endpoint carries a certificate from a
 * public CA; `require` (and `prefer`, `allow`) encrypt without checking it, as libpq does; `disable` is plain.
 */
const SSL_MODES: Readonly<Record<string, pg.ClientConfig['ssl']>> = {
  disable: false,
  allow: { rejectUnauthorized: false },
  prefer: { rejectUnauthorized: false },
  require: { rejectUnauthorized: false },
  'verify-ca': { rejectUnauthorized: true },
  'verify-full': { rejectUnauthorized: true },
};

/**
 * A connected Redshift cluster or Serverless workgroup.
 *
 * @example
 * const warehouse = await openRedshiftWarehouse({ kind: 'redshift', url: 'redshift://dwhuser:pw@dwh.abc.us-west-2.redshift.amazonaws.com:5439/dwh' });
 */
export class RedshiftWarehouse extends PostgresWarehouse {
  // Redshift has no default_transaction_read_only setting (the SET would fail); its query sessions are
  // read-only through `BEGIN READ ONLY` around each query instead (queryTable). The rest is PostgreSQL's.
  override readonly capabilities: PostgresServerCapabilities = {
    readOnlySessions: false,
    singleStatementQueries: true,
    createsMissingSchema: true,
  };

  /** Connects, saying in Redshift's terms why not when it cannot. */
  override async connect(): Promise<this> {
    try {
      return await super.connect();
    } catch (error) {
      throw this.connectFailure(error);
    }
  }

  /** The cluster reads the source from S3 itself: no record passes through sparkify. */
  override readonly intake: WarehouseIntake = {
    kind: 'warehouse-reads-storage',
    stage: (dataset, settings) => this.copyFromStorage(dataset, settings),
    // Staged loading: sparkify reads and checks the files, COPY reads its objects through manifests.
    openStaged: (settings, store) => openRedshiftStagedLoads(settings, store, { dialect: this.dialect, copy: (sql) => this.execute(sql) }),
  };

  /**
   * COPY from S3 into `dataset`'s staging table, on a session of its own that also reads back what the COPY
   * loaded and rejected (see redshift-copy-stager.ts).
   */
  private async copyFromStorage(dataset: StagingDataset, settings: StorageSettings): Promise<StorageStageResult> {
    let client: pg.Client;
    try {
      client = await this.openSession({ main: false });
    } catch (error) {
      throw this.connectFailure(error);
    }
    const session: CopySession = {
      query: async (sql, values) => (await client.query({ text: sql, values: values as unknown[] | undefined })).rows,
    };
    try {
      return await stageWithCopy(session, dataset, settings, {
        dialect: this.dialect,
        server: this.server(),
        description: this.description,
      });
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Never called by the pipeline (its intake reads storage); Redshift cannot COPY FROM STDIN. */
  override async openWriter(table: TableSpec): Promise<TableWriter> {
    throw new WarehouseError(`Redshift cannot stream rows into ${table.name}: it loads with COPY from S3 only`);
  }

  /** Redshift has no advisory locks: a lease row with a heartbeat (see redshift-run-lock.ts for why). */
  protected override takeRunLock(session: LockSession, owner: RunLockOwner, options: RunLockOptions): Promise<ReleaseRunLock> {
    return acquireLeaseRunLock(session, owner, options, this.description);
  }

  protected override createDialect(): SqlDialect {
    return new RedshiftDialect();
  }

  /** PostgreSQL's settings, with TLS on unless `sslmode` says otherwise, and port 5439 by default. */
  protected override clientConfig(): pg.ClientConfig {
    const config = super.clientConfig();
    if (!config.connectionString) return config;
    const url = config.connectionString;
    const mode = new URLSearchParams(url.split('?')[1] ?? '').get('sslmode') ?? 'verify-full';
    const ssl = SSL_MODES[mode];
    if (ssl === undefined) {
      throw new ConfigError(`sslmode=${mode} in the Redshift URL: expected one of ${Object.keys(SSL_MODES).join(', ')}`);
    }
    // Taken out of the URL: pg would read it with its own meaning (it treats "require" as verify-full).
    return { ...config, connectionString: withPort(withoutParameter(url, 'sslmode'), REDSHIFT_PORT), ssl };
  }

  private connectFailure(error: unknown): WarehouseError {
    let server: ServerAddress;
    try {
      server = this.server();
    } catch {
      return error instanceof WarehouseError ? error : new WarehouseError(String(error), { cause: error });
    }
    return redshiftConnectError(error, server);
  }
}

/** Opens the Redshift warehouse `target` names. Close it when done. */
export async function openRedshiftWarehouse(target: ServerTarget, options: WarehouseOpenOptions = {}): Promise<RedshiftWarehouse> {
  return new RedshiftWarehouse(target, options).connect();
}

// `url` with `port` added when it names none (pg's parser would otherwise fall back to 5432).
function withPort(url: string, port: number): string {
  return url.replace(/^([a-z]+:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^/:?#[\]]+))(?=[/?#]|$)/i, `$1:${port}`);
}
