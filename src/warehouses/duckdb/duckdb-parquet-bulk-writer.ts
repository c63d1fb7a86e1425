/**
 * Bulk loads staging tables from Parquet files read by DuckDB's own parallel reader. The files come from the
 * stager's worker threads, whatever the source (local folder or S3).
 * Measured on 1.5 million events: the Appender spends about 17 s crossing from JavaScript into DuckDB value
 * by value; read_parquet loads the same rows in about 7 s of CPU on DuckDB's two threads (read_csv: 9 s).
 * DuckDB's DataChunk path (`appendDataChunk`) lost to these segments too, 2.5 to 3.5 times their CPU over
 * parsing: see `parquet-file-format.ts` and README "Measuring the staging format".
 *
 * Files are loaded in big batches, one INSERT per LOAD_BATCH_BYTES: each INSERT ends with partial row
 * groups, which go through the WAL and are merged again at the next checkpoint. Measured on the same rows:
 * sixteen INSERTs of 32 MB cost 18 s of CPU, two of 384 MB and 116 MB 9 s plus a 1.9 s checkpoint, one of
 * 500 MB 9 s and no checkpoint work. While one batch loads the next one fills: at most two batches (2 GiB)
 * sit in the temporary folder, and a dataset of up to a batch (1.5 million events) loads in one INSERT.
 */
import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { cleanUpAfter, WarehouseError } from '../../errors.js';
import type { TableSpec } from '../../schema/table-spec.js';
import type { ParquetFileLoad } from '../warehouse.js';
import { createOwnedTempFolder, removeOwnedTempFolder } from '../temp-folders.js';

/** Options of the bulk writer. */
export interface ParquetBulkWriterOptions {
  /** A connection of its own: loads run on DuckDB's threads while other connections keep working. */
  readonly connection: DuckDBConnection;
  readonly table: TableSpec;
  /** Where the files wait; the OS temporary folder by default. */
  readonly tempRoot?: string;
  /** Bytes of files loaded by one INSERT (the last one takes what is left). */
  readonly batchBytes?: number;
}

const LOAD_BATCH_BYTES = 1 << 30;
// Staging is transient and loaded once: the FSST string compressors cost about 10% of the load's CPU
// (measured on 1.5 million events) and gain it little; the star tables, published later, keep them.
const STAGING_DISABLED_COMPRESSION = 'fsst,dict_fsst';

interface WaitingFile {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** Opens a load of `options.table` from staging Parquet files. */
export async function openDuckDbParquetLoad(options: ParquetBulkWriterOptions): Promise<ParquetFileLoad> {
  const { connection, table } = options;
  const batchBytes = options.batchBytes ?? LOAD_BATCH_BYTES;
  // Named after this process, so the next run sweeps it if this one dies without cleaning up.
  const folder = await createOwnedTempFolder(options.tempRoot);
  const columns = table.columns.map((column) => `"${column.name}"`).join(', ');
  await connection.run(`SET disabled_compression_methods = '${STAGING_DISABLED_COMPRESSION}'`);
  const restoreCompression = () => connection.run('RESET disabled_compression_methods').then(() => undefined);

  let waiting: WaitingFile[] = [];
  let waitingBytes = 0;
  let loading: Promise<void> | undefined;
  let failure: Error | undefined;
  let count = 0;

  const load = async (files: readonly WaitingFile[]) => {
    const list = files.map((file) => `'${file.path.replaceAll("'", "''")}'`).join(', ');
    try {
      if (failure) return;
      await connection.run(`INSERT INTO ${table.name} (${columns}) SELECT ${columns} FROM read_parquet([${list}])`);
      for (const file of files) count += file.rows;
    } catch (error) {
      failure ??= new WarehouseError(`Failed to load ${table.name} in DuckDB: ${(error as Error).message}`, { cause: error });
    } finally {
      await Promise.all(files.map((file) => rm(file.path, { force: true })));
    }
  };
  // Starts loading what waits, once there is a batch of it (or anything at all, at the end).
  const startLoad = (all: boolean) => {
    if (loading || waiting.length === 0 || (!all && waitingBytes < batchBytes)) return;
    const files = waiting;
    waiting = [];
    waitingBytes = 0;
    loading = load(files).finally(() => {
      loading = undefined;
      startLoad(false);
    });
  };

  const add = async (path: string, rows: number): Promise<void> => {
    if (failure) {
      await rm(path, { force: true });
      throw failure;
    }
    const bytes = statSync(path).size;
    waiting.push({ path, rows, bytes });
    waitingBytes += bytes;
    startLoad(false);
    // A full batch waits while another loads: take no more until that load is done.
    if (loading && waitingBytes >= batchBytes) await loading;
    if (failure) throw failure;
  };

  return {
    kind: 'parquet-files',
    folder,
    add,
    async finish() {
      const cleanUp = async () => {
        await removeOwnedTempFolder(folder);
        await restoreCompression();
      };
      try {
        while (loading || waiting.length > 0) {
          startLoad(true);
          await loading;
        }
        if (failure) throw failure;
      } catch (error) {
        // A failing clean-up (a closed connection) must not hide why the load failed.
        return cleanUpAfter(error, cleanUp);
      }
      await cleanUp();
      return count;
    },
    async abort() {
      failure ??= new WarehouseError(`The load of ${table.name} was abandoned`);
      waiting = [];
      await loading;
      await removeOwnedTempFolder(folder);
      // The connection may be gone already (the run is being torn down): nothing is left to restore then.
      await restoreCompression().catch(() => undefined);
    },
  };
}
