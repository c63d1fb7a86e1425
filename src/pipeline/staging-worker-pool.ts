/**
 * Stages a dataset in worker threads: the main thread lists the files and hands them out in tasks; each
 * worker reads, checks and encodes its files' records (`staging-task-runner.ts`) in the warehouse's load
 * format: staging Parquet segments, which DuckDB loads with read_parquet on its own threads, or CSV chunks
 * that the main thread passes on to PostgreSQL's COPY stream. Local files are read by the workers
 * themselves (by path); objects of any other source (S3) are fetched here, many at once, and their bytes
 * go to the workers in the tasks, so a remote load uses every core too.
 *
 * Why: the work is CPU-bound, and on one thread the JSON checks left the second core idle (measured on 1.5
 * million events: 4 s on two workers where JSON.parse and the checks alone took 9 s on one thread). Memory
 * stays flat whatever the input: a worker holds one read chunk and one row group, at most
 * MAX_TASKS_PER_WORKER tasks (lists of paths, or up to TASK_BYTES of fetched bytes) wait per worker, and no
 * new task is handed out while the warehouse is not ready to take a segment, which also bounds the
 * temporary disk used. A worker that posts CSV chunks waits while MAX_PENDING_CHUNKS of them are not yet
 * taken by the COPY stream. Fetching is bounded the same way: the next objects are fetched only as tasks
 * are handed out.
 *
 * Running from the TypeScript sources (vitest) there is no compiled worker script: the same runner then
 * works on the main thread, one task at a time, so tests exercise the same reading, checks and encoding.
 */
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { parquetColumns } from '../records/staging-parquet-writer.js';
import { localChangeToken } from '../sources/local/local-location.js';
import type { DataLocation, SourceObject } from '../sources/source.js';
import { STAGING_WORKERS, type CsvChunkLoad, type ParquetFileLoad, type TableWriter } from '../warehouses/warehouse.js';
import type { DatasetSpec, StagedCounts } from './dataset-spec.js';
import {
  StagingTaskRunner,
  type FetchedObject,
  type RunnerMessage,
  type StagingFile,
  type StagingRunnerOptions,
} from './staging-task-runner.js';
import type { WorkerRequest } from './staging-worker.js';
import { reviveError } from './worker-error.js';

const WORKER_SCRIPT = new URL('./staging-worker.js', import.meta.url);
const MAX_TASKS_PER_WORKER = 2;
// A worker hands a segment over once it holds this much; the warehouse decides when to load it.
const SEGMENT_BYTES = 64 << 20;
// Song files are tiny: many per task, so a message carries real work. Log files are big: a few per task.
const TASK_FILES = { 'json-objects': 512, 'json-lines': 16 } as const;
const TASK_BYTES = 16 << 20;
// CSV chunks: big enough that a message carries real work, few enough pending to keep memory flat.
const CSV_CHUNK_BYTES = 1 << 20;
const MAX_PENDING_CHUNKS = 4;
// Remote log objects up to this size are fetched whole; bigger ones are streamed and handed over in parts
// of about PART_BYTES. Song objects are always fetched whole (they hold a record or two).
const WHOLE_FETCH_BYTES = 1 << 20;
const PART_BYTES = 4 << 20;
const NEWLINE = 10;

interface Lane {
  inFlight: number;
  flushed: boolean;
  send(request: WorkerRequest): void;
  /** Tells the worker one of its CSV chunks was taken. */
  taken(): void;
  stop(): Promise<void>;
}

/**
 * Stages every object of `location` into `intake`, and rejects into `rejects`, adding to `counts` and
 * calling `report` as tasks complete. The load behind `intake` loads what it was handed when it finishes.
 */
export async function stageInWorkers(
  location: DataLocation,
  spec: DatasetSpec,
  intake: ParquetFileLoad | CsvChunkLoad,
  rejects: TableWriter,
  counts: StagedCounts,
  report: () => void,
): Promise<void> {
  let failure: Error | undefined;
  let wake = () => {};
  const changed = () => new Promise<void>((resolve) => (wake = resolve));
  const fail = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
    wake();
  };
  // Segments or chunks handed to the intake that it has not taken yet. No new task while a segment waits
  // (bounding the temporary disk); chunks are bounded by the workers themselves.
  let handing = 0;
  let rejectWrites = Promise.resolve();

  const onMessage = (lane: Lane, message: RunnerMessage) => {
    switch (message.type) {
      case 'segment':
        if (intake.kind !== 'parquet-files') {
          fail(new Error('A staging worker wrote a file for an intake of CSV chunks'));
          break;
        }
        handing += 1;
        intake.add(message.path, message.rows).then(() => {
          handing -= 1;
          wake();
        }, fail);
        break;
      case 'rows':
        if (intake.kind !== 'csv-chunks') {
          fail(new Error('A staging worker sent CSV chunks for an intake of files'));
          break;
        }
        handing += 1;
        intake
          .add(message.bytes, message.rows)
          .then(() => {
            handing -= 1;
            wake();
          }, fail)
          // Released even after a failure, so a waiting worker runs on to its end and can be stopped.
          .finally(() => lane.taken());
        break;
      case 'rejects':
        rejectWrites = rejectWrites.then(() => rejects.write(message.rows)).catch(fail);
        break;
      case 'done':
        lane.inFlight -= 1;
        settleOpened(location, tasks.get(message.id) ?? [], message.opened);
        tasks.delete(message.id);
        counts.files += message.files;
        counts.bytes += message.bytes;
        counts.read += message.read;
        counts.staged += message.staged;
        counts.rejected += message.rejected;
        report();
        break;
      case 'flushed':
        lane.flushed = true;
        break;
      case 'error':
        fail(reviveError(message.error, `Staging ${spec.name} failed: `));
        break;
    }
    wake();
  };

  const options = (index: number, threaded: boolean): StagingRunnerOptions => ({
    format: spec.format,
    fields: spec.fields,
    columns: parquetColumns(spec.table),
    dataset: spec.name,
    output:
      intake.kind === 'parquet-files'
        ? { kind: 'parquet', folder: intake.folder, prefix: `${spec.name}-${index}`, segmentBytes: SEGMENT_BYTES }
        : {
            kind: 'csv',
            chunkBytes: CSV_CHUNK_BYTES,
            // The main thread must never block: there, the dispatch loop's turns keep chunks moving.
            pending: threaded ? new SharedArrayBuffer(4) : undefined,
            maxPending: MAX_PENDING_CHUNKS,
          },
  });
  const threaded = existsSync(fileURLToPath(WORKER_SCRIPT));
  // The workers start with the first task: a run that finds nothing new in a dataset starts none (each
  // took about 60 ms to start: measured on M, a no-op run staged its events in 0.01 s instead of 0.14 s).
  const lanes: Lane[] = [];
  const started = () => {
    if (lanes.length === 0) {
      lanes.push(
        ...(threaded
          ? Array.from({ length: STAGING_WORKERS }, (_, index) => workerLane(options(index, true), onMessage, fail))
          : [mainThreadLane(options(0, false), onMessage)]),
      );
    }
    return lanes;
  };

  const waitFor = async (ready: () => boolean) => {
    while (!failure && !ready()) await changed();
    if (failure) throw failure;
  };
  let taskId = 0;
  // The files of each task in flight, to pass on what the worker found opening them.
  const tasks = new Map<number, StagingFile[]>();
  const dispatch = async (files: StagingFile[]) => {
    const running = started();
    await waitFor(() => (intake.kind === 'csv-chunks' || handing === 0) && running.some((lane) => lane.inFlight < MAX_TASKS_PER_WORKER));
    const lane = running.reduce((best, candidate) => (candidate.inFlight < best.inFlight ? candidate : best));
    lane.inFlight += 1;
    taskId += 1;
    if (location.settle) tasks.set(taskId, files);
    lane.send({ type: 'task', task: { id: taskId, files } });
    // On the main thread the task has run already: let loads and writes move before the next one.
    if (!threaded) await nextTurn();
  };

  try {
    let files: StagingFile[] = [];
    let bytes = 0;
    for await (const { file, size } of stagingFiles(location, spec)) {
      files.push(file);
      bytes += size;
      if (files.length >= TASK_FILES[spec.format] || bytes >= TASK_BYTES) {
        await dispatch(files);
        files = [];
        bytes = 0;
      }
    }
    if (files.length > 0) await dispatch(files);
    await waitFor(() => lanes.every((lane) => lane.inFlight === 0));
    for (const lane of lanes) lane.send({ type: 'flush' });
    await waitFor(() => lanes.every((lane) => lane.flushed) && handing === 0);
    await rejectWrites;
    if (failure) throw failure;
  } finally {
    await Promise.all(lanes.map((lane) => lane.stop()));
  }
}

/** Tells `location` the size and change token each file read by path had when its worker opened it. */
function settleOpened(location: DataLocation, files: readonly StagingFile[], opened: readonly ([number, number] | null)[]): void {
  if (!location.settle) return;
  files.forEach((file, index) => {
    const stats = opened[index];
    if (typeof file === 'string' && stats) location.settle!(file, stats[0], localChangeToken(stats[0], stats[1]));
  });
}

/**
 * The files of `location` as tasks take them, each with the size that counts toward a task's end: local
 * files by path (only log files' sizes count: a song file's size is not even read); anything else fetched
 * here, `concurrency` objects at a time, and handed over as bytes. A log object bigger than
 * WHOLE_FETCH_BYTES is streamed instead and handed over in parts cut at line ends, so memory holds a part,
 * not the object.
 */
async function* stagingFiles(location: DataLocation, spec: DatasetSpec): AsyncGenerator<{ file: StagingFile; size: number }> {
  if (location.localFiles) {
    for await (const object of location.list()) yield { file: object.uri, size: spec.format === 'json-lines' ? object.size : 0 };
    return;
  }
  const concurrency = Math.min(location.concurrency ?? spec.concurrency, spec.maxConcurrency);
  const streamed = (object: SourceObject) => spec.format === 'json-lines' && object.size > WHOLE_FETCH_BYTES;
  const fetched = Readable.from(location.list()).map(
    async (object: SourceObject) => (streamed(object) ? object : { uri: object.uri, bytes: await location.read(object) }),
    { concurrency },
  );
  for await (const item of fetched as AsyncIterable<SourceObject | FetchedObject>) {
    if ('bytes' in item) yield { file: item, size: item.bytes.length };
    else for await (const part of streamedParts(location, item)) yield { file: part, size: part.bytes.length };
  }
}

/** `object`'s bytes in parts of about PART_BYTES, each ending at a line end (the last: at the object's end). */
async function* streamedParts(location: DataLocation, object: SourceObject): AsyncGenerator<FetchedObject> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  let continued = false;
  const part = (bytes: Buffer): FetchedObject => {
    const cut: FetchedObject = { uri: object.uri, bytes, line, continued };
    for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) line += 1;
    continued = true;
    return cut;
  };
  for await (const chunk of location.stream(object) as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < PART_BYTES) continue;
    const joined = Buffer.concat(pending, pendingBytes);
    const end = joined.lastIndexOf(NEWLINE) + 1;
    // A line longer than a part stays pending until its end arrives.
    if (end === 0) {
      pending = [joined];
      continue;
    }
    yield part(joined.subarray(0, end));
    pending = [joined.subarray(end)];
    pendingBytes = joined.length - end;
  }
  if (pendingBytes > 0 || !continued) yield part(Buffer.concat(pending, pendingBytes));
}

function workerLane(
  options: StagingRunnerOptions,
  onMessage: (lane: Lane, message: RunnerMessage) => void,
  fail: (error: unknown) => void,
): Lane {
  const worker = new Worker(WORKER_SCRIPT, { workerData: options });
  const pending = options.output.kind === 'csv' && options.output.pending ? new Int32Array(options.output.pending) : undefined;
  let stopping = false;
  const lane: Lane = {
    inFlight: 0,
    flushed: false,
    send: (request) => worker.postMessage(request),
    taken: () => {
      if (!pending) return;
      Atomics.sub(pending, 0, 1);
      Atomics.notify(pending, 0);
    },
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
  worker.on('message', (message: RunnerMessage) => onMessage(lane, message));
  worker.on('error', fail);
  // A message that cannot be read is otherwise dropped: a lost 'done' would leave the stager waiting.
  worker.on('messageerror', (error) => fail(new Error(`A staging worker sent a message that could not be read: ${error.message}`)));
  worker.on('exit', (code) => {
    if (!stopping) fail(new Error(`A staging worker stopped unexpectedly (exit code ${code})`));
  });
  return lane;
}

function mainThreadLane(options: StagingRunnerOptions, onMessage: (lane: Lane, message: RunnerMessage) => void): Lane {
  const lane: Lane = {
    inFlight: 0,
    flushed: false,
    send: (request) => {
      if (request.type === 'task') runner.run(request.task);
      else runner.flush();
    },
    taken: () => {},
    stop: async () => runner.close(),
  };
  const runner = new StagingTaskRunner(options, (message) => onMessage(lane, message));
  return lane;
}
