/**
 * The Redshift Data API (JSON 1.1, `X-Amz-Target: RedshiftData.<Action>`) of the loopback AWS server, run on
 * the real test PostgreSQL server: each Data API session is a PostgreSQL session whose search_path is the
 * test's schema, and every statement is recorded as received. Redshift's SQL runs there after the clauses
 * PostgreSQL lacks are taken out (DISTSTYLE, DISTKEY, SORTKEY, BACKUP NO; IDENTITY becomes an identity
 * column); a COPY from a source prefix, which only Redshift can do, is recorded and reported done without
 * loading. Given an S3 endpoint (the loopback s3rver), a COPY ... MANIFEST of sparkify's staged objects is
 * loaded for real (manifest-copy.ts), on the statement's session.
 */
import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { isManifestCopy, type ManifestCopy, runManifestCopy } from '../manifest-copy.js';
import { S3RVER_CREDENTIALS } from '../s3-server.js';
import type { AwsState } from './aws-state.js';
import { AwsFault } from './aws-wire.js';

type Json = Record<string, unknown>;

/** A statement as the Data API received it. */
export interface ReceivedStatement {
  readonly sql: string;
  readonly parameters: readonly { name: string; value: string }[];
  readonly session?: string;
  readonly target: string;
}

interface StatementRecord {
  id: string;
  status: 'PICKED' | 'FINISHED' | 'FAILED';
  error?: string;
  result?: { columns: Json[]; records: Json[][] };
  polls: number;
}

/** The Data API over a PostgreSQL schema. */
export class DataApiService {
  /** Every statement received, in order. */
  readonly received: ReceivedStatement[] = [];
  private readonly sessions = new Map<string, pg.Client>();
  private readonly statements = new Map<string, StatementRecord>();
  /** Every manifest COPY loaded, in order (only with an S3 endpoint). */
  readonly copies: ManifestCopy[] = [];
  private readonly s3?: S3Client;

  constructor(
    private readonly postgresUrl: string | undefined,
    private readonly schema: string | undefined,
    private readonly state: AwsState,
    s3Endpoint?: string,
  ) {
    if (s3Endpoint)
      this.s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  }

  /** Answers one Data API action. */
  async handle(action: string, input: Json): Promise<Json> {
    switch (action) {
      case 'ExecuteStatement':
        return this.execute(input);
      case 'DescribeStatement': {
        const record = this.statement(input.Id);
        // One poll in PICKED first, as a real statement is seen running before it is done.
        const status = record.polls++ === 0 && record.status === 'FINISHED' ? 'PICKED' : record.status;
        return {
          Id: record.id,
          Status: status,
          Error: status === 'FAILED' ? record.error : undefined,
          HasResultSet: record.result !== undefined,
        };
      }
      case 'GetStatementResult': {
        const record = this.statement(input.Id);
        if (!record.result)
          throw new AwsFault('ValidationException', 'Query does not have result. Please check query status with DescribeStatement.');
        return { ColumnMetadata: record.result.columns, Records: record.result.records, TotalNumRows: record.result.records.length };
      }
      default:
        throw new AwsFault('UnknownOperationException', `The loopback Data API does not implement ${action}`);
    }
  }

  /** Ends every PostgreSQL session. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((client) => client.end().catch(() => undefined)));
    this.sessions.clear();
    this.s3?.destroy();
  }

  private async execute(input: Json): Promise<Json> {
    const sql = String(input.Sql ?? '');
    const parameters = (input.Parameters as { name: string; value: string }[] | undefined) ?? [];
    let sessionId = input.SessionId as string | undefined;
    let target: string;
    if (sessionId) {
      if (!this.sessions.has(sessionId)) throw new AwsFault('ValidationException', `Session ${sessionId} is not available`);
      target = `session ${sessionId}`;
    } else {
      target = this.checkTarget(input);
      if (input.SessionKeepAliveSeconds !== undefined) {
        sessionId = randomUUID();
        this.sessions.set(sessionId, await this.connect());
      }
    }
    this.received.push({ sql, parameters, session: sessionId, target });
    const record: StatementRecord = { id: randomUUID(), status: 'FINISHED', polls: 0 };
    this.statements.set(record.id, record);
    if (this.s3 && isManifestCopy(sql)) {
      const client = sessionId ? this.sessions.get(sessionId)! : await this.connect();
      try {
        this.copies.push(await runManifestCopy(client, sql, this.s3));
      } catch (error) {
        record.status = 'FAILED';
        record.error = `ERROR: ${(error as Error).message}`;
      } finally {
        if (!sessionId) await client.end();
      }
    } else if (!/^\s*COPY\s/i.test(sql)) {
      const client = sessionId ? this.sessions.get(sessionId)! : await this.connect();
      try {
        const result = await client.query({
          text: asPostgres(sql, parameters),
          values: parameters.map((parameter) => parameter.value),
          rowMode: 'array',
          types: TEXT_TYPES,
        });
        if (result.fields.length > 0) record.result = resultJson(result);
      } catch (error) {
        record.status = 'FAILED';
        record.error = `ERROR: ${(error as Error).message}`;
      } finally {
        if (!sessionId) await client.end();
      }
    }
    return { Id: record.id, SessionId: sessionId, Database: input.Database };
  }

  // The cluster or workgroup must exist and be available, as for the real Data API.
  private checkTarget(input: Json): string {
    if (typeof input.ClusterIdentifier === 'string') {
      const cluster = this.state.clusters.get(input.ClusterIdentifier);
      if (cluster?.status === 'available') return `cluster ${cluster.id}`;
      throw new AwsFault('ValidationException', `Redshift endpoint doesn't exist in this region.`);
    }
    if (typeof input.WorkgroupName === 'string') {
      const workgroup = this.state.workgroups.get(input.WorkgroupName);
      if (workgroup?.status === 'AVAILABLE') return `workgroup ${workgroup.name}`;
      throw new AwsFault('ResourceNotFoundException', `Workgroup ${input.WorkgroupName} not found.`);
    }
    throw new AwsFault('ValidationException', 'Either ClusterIdentifier or WorkgroupName is required');
  }

  private async connect(): Promise<pg.Client> {
    if (!this.postgresUrl) throw new AwsFault('InternalServerException', 'The loopback Data API has no PostgreSQL server');
    const client = new pg.Client({ connectionString: this.postgresUrl });
    await client.connect();
    if (this.schema) await client.query(`SET search_path TO "${this.schema}"`);
    return client;
  }

  private statement(id: unknown): StatementRecord {
    const record = this.statements.get(String(id));
    if (!record) throw new AwsFault('ResourceNotFoundException', `Query ${String(id)} does not exist`);
    return record;
  }
}

// Every value as text, as the Data API's stringValue carries it.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

const TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  25: 'text',
  700: 'float4',
  701: 'float8',
  1043: 'varchar',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamptz',
  1700: 'numeric',
};

function resultJson(result: pg.QueryResult): { columns: Json[]; records: Json[][] } {
  const types = result.fields.map((field) => TYPE_NAMES[field.dataTypeID] ?? 'varchar');
  const columns = result.fields.map((field, index) => ({ name: field.name, label: field.name, typeName: types[index] }));
  const records = (result.rows as (string | null)[][]).map((row) =>
    row.map((value, index): Json => {
      if (value === null) return { isNull: true };
      const type = types[index];
      if (type === 'int2' || type === 'int4' || type === 'int8') return { longValue: Number(value) };
      if (type === 'float4' || type === 'float8') return { doubleValue: Number(value) };
      if (type === 'bool') return { booleanValue: value === 't' };
      return { stringValue: value };
    }),
  );
  return { columns, records };
}

/** Redshift's SQL as PostgreSQL runs it; named parameters (:p1) become positional ($1). */
export function asPostgres(sql: string, parameters: readonly { name: string }[]): string {
  let text = sql
    .replace(/\bBIGINT IDENTITY\(\d+, *\d+\)/gi, 'BIGINT GENERATED BY DEFAULT AS IDENTITY')
    .replace(/^\s*(DISTSTYLE \w+|DISTKEY \([^)]*\)|SORTKEY \([^)]*\)|BACKUP NO)\s*$/gim, '')
    .replace(/\n{2,}/g, '\n');
  parameters.forEach((parameter, index) => {
    text = text.replace(new RegExp(`:${parameter.name}\\b`, 'g'), `$${index + 1}`);
  });
  return text;
}
