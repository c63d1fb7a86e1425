/**
 * A load that streams CSV into PostgreSQL with `COPY ... FROM STDIN` (pg-copy-streams): the fastest way in
 * from a client, one round trip per load instead of one per row, and memory stays flat because each chunk
 * is handed to the socket and awaited ('drain') before the next is accepted. It takes CSV chunks (from the
 * staging workers) as they are, and batches of rows (load_errors) through `copyRowWriter`, which encodes
 * them with the same CSV encoder.
 *
 * Each load owns its connection. A PostgreSQL session can run one COPY at a time, and the pipeline keeps
 * the load_errors writer open while the staging_songs and staging_events loads run, so sharing the main
 * session would mean buffering rejects in memory. The staging tables were created and committed (autocommit
 * DDL) on the main session before any load opens, so other sessions see them; each COPY commits when it
 * finishes, before the pipeline counts the rows on the main session.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { WarehouseError } from '../../errors.js';
import type { StagingRow } from '../../records/record-types.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { CsvChunkLoad, TableWriter } from '../warehouse.js';
import { CopyRowEncoder, copyFromStdinSql, type NulPolicy } from './postgres-copy-format.js';
import { statementError, type ServerAddress } from './postgres-errors.js';

/** What a COPY writer needs besides its table. */
export interface PostgresCopyWriterOptions {
  /** A connected session, used only by this writer and ended by it. */
  readonly client: pg.Client;
  readonly table: TableSpec;
  readonly quote: (identifier: string) => string;
  readonly server: ServerAddress;
}

// Bytes the COPY stream buffers before write() asks callers to wait. One batch (2,048 events, about 1 MB of
// CSV) exceeds it on its own, so each caller waits for the socket to take its batch: memory is bounded by
// the number of concurrent file loads times one batch, whatever the input size.
const HIGH_WATER_MARK = 256 * 1024;

/** Starts `COPY table FROM STDIN` on `options.client` and returns a load of CSV chunks for it. */
export async function openPostgresCopyLoad(options: PostgresCopyWriterOptions): Promise<CsvChunkLoad> {
  const { client, table, server } = options;
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
    kind: 'csv-chunks',
    // Chunks of whole rows, each written whole: concurrent producers never interleave inside a row.
    add: (bytes, rows) => enqueue(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), rows),

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

/**
 * A row writer over `load`: each batch is encoded whole (`CopyRowEncoder`) and handed over as one chunk.
 * NULs are rejected, naming the record, except in tables of raw input (load_errors and its batch twin, check
 * failures), where they are escaped (see `NulPolicy`, `TableSpec.escapesNul`).
 */
export function copyRowWriter(
  load: CsvChunkLoad,
  table: TableSpec,
  nulPolicy: NulPolicy = table.escapesNul ? 'escape' : 'reject',
): TableWriter {
  const encoder = new CopyRowEncoder(table, nulPolicy);
  return {
    kind: 'rows',
    async write(rows: readonly StagingRow[]): Promise<void> {
      if (rows.length === 0) return;
      await load.add(encoder.encode(rows), rows.length);
    },
    finish: () => load.finish(),
    abort: () => load.abort(),
  };
}
