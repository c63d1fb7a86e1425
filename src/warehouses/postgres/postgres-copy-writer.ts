/**
 * A `TableWriter` that streams rows into PostgreSQL with `COPY ... FROM STDIN` (pg-copy-streams): the
 * fastest way in from a client, one round trip per load instead of one per row, and memory stays flat
 * because each batch is handed to the socket and awaited ('drain') before the next is accepted.
 *
 * Each writer owns its connection. A PostgreSQL session can run one COPY at a time, and the pipeline keeps
 * the load_errors writer open while the staging_songs and staging_events writers run, so sharing the main
 * session would mean buffering rejects in memory. The staging tables were created and committed (autocommit
 * DDL) on the main session before any writer opens, so other sessions see them; each COPY commits when it
 * finishes, before the pipeline counts the rows on the main session.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { WarehouseError } from '../../errors.js';
import type { StagingRow } from '../../records/record-types.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { TableWriter } from '../warehouse.js';
import { CsvRowFormatter, copyFromStdinSql, type NulPolicy } from './postgres-copy-format.js';
import { statementError, type ServerAddress } from './postgres-errors.js';

/** What a COPY writer needs besides its table. */
export interface PostgresCopyWriterOptions {
  /** A connected session, used only by this writer and ended by it. */
  readonly client: pg.Client;
  readonly table: TableSpec;
  readonly quote: (identifier: string) => string;
  readonly server: ServerAddress;
  /** How NUL characters are handled; by default rejected everywhere except in the errors table. */
  readonly nulPolicy?: NulPolicy;
}

// Bytes the COPY stream buffers before write() asks callers to wait. One batch (2,048 events, about 1 MB of
// CSV) exceeds it on its own, so each caller waits for the socket to take its batch: memory is bounded by
// the number of concurrent file loads times one batch, whatever the input size.
const HIGH_WATER_MARK = 256 * 1024;

/** Starts `COPY table FROM STDIN` on `options.client` and returns a writer for it. */
export async function openPostgresCopyWriter(options: PostgresCopyWriterOptions): Promise<TableWriter> {
  const { client, table, server } = options;
  const formatter = new CsvRowFormatter(table, options.nulPolicy ?? (table.role === 'errors' ? 'escape' : 'reject'));
  const stream: CopyStreamQuery = client.query(copyFrom(copyFromStdinSql(table, options.quote), { highWaterMark: HIGH_WATER_MARK }));
  let failure: WarehouseError | undefined;
  const fail = (error: unknown): WarehouseError => {
    failure ??= error instanceof WarehouseError ? error : statementError(error, `load ${table.name}`, server);
    return failure;
  };
  // Always listening: an 'error' with no listener would crash the process; the next call reports it.
  stream.on('error', fail);
  client.on('error', fail);

  let written = 0;
  // Batches enter the COPY stream one at a time, each after the previous one drained. Besides bounding
  // memory, this keeps at most one chunk inside pg-copy-streams: after a server-side error it drops its
  // connection, and a second queued chunk would then be flushed into nothing and throw from a socket event.
  let tail: Promise<void> = Promise.resolve();
  const send = async (chunk: Buffer, count: number): Promise<void> => {
    if (failure) throw failure;
    written += count;
    if (!stream.write(chunk)) {
      try {
        await once(stream, 'drain');
      } catch (error) {
        throw fail(error);
      }
    }
  };
  const endClient = () => client.end().catch(() => undefined);
  let state: 'open' | 'finished' | 'aborted' = 'open';
  // One chunk at a time into the stream, in the order handed over.
  const enqueue = (chunk: Buffer, count: number): Promise<void> => {
    if (failure) return Promise.reject(failure);
    if (state !== 'open') return Promise.reject(new WarehouseError(`The ${table.name} writer is already closed`));
    const turn = tail.then(() => send(chunk, count));
    tail = turn.catch(() => undefined);
    return turn;
  };

  return {
    async write(rows: readonly StagingRow[]): Promise<void> {
      if (failure) throw failure;
      if (state !== 'open') throw new WarehouseError(`The ${table.name} writer is already closed`);
      if (rows.length === 0) return;
      // One buffer per batch, written whole: concurrent file loads never interleave inside a row.
      return enqueue(formatter.format(rows), rows.length);
    },

    // Staging rows encoded by the stager's workers (`StagingCsvWriter`: the same CSV, and never a NUL,
    // which the record checks reject). The errors table keeps its own formatter, which escapes NULs.
    encodedRows: table.bulk
      ? { format: 'csv', add: (bytes, rows) => enqueue(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), rows) }
      : undefined,

    async finish(): Promise<number> {
      if (state !== 'open') return written;
      state = 'finished';
      try {
        await tail;
        if (failure) throw failure;
        stream.end();
        // 'finish' comes after the server's CommandComplete and ReadyForQuery: the rows are committed.
        await finished(stream);
        if (failure) throw failure;
        return stream.rowCount;
      } catch (error) {
        throw fail(error);
      } finally {
        await endClient();
      }
    },

    async abort(): Promise<void> {
      if (state !== 'open') return;
      state = 'aborted';
      try {
        // destroy() sends CopyFail, so the server rolls the COPY back. After a server-side error the COPY
        // is already over and the session idle; there is nothing to cancel.
        if (!failure) {
          stream.destroy(new Error(`sparkify abandoned the load of ${table.name}`));
          await finished(stream).catch(() => undefined);
        }
      } finally {
        await endClient();
      }
    },
  };
}
