/**
 * Stages a dataset of local files in worker threads: the main thread lists the files and hands them out in
 * tasks; each worker reads, checks and writes its files into staging Parquet segments
 * (`staging-task-runner.ts`), which the warehouse loads (DuckDB's read_parquet, on DuckDB's own threads).
 *
 * Why: the work is CPU-bound, and on one thread the JSON checks left the second core idle (measured on 1.5
 * million events: 4 s on two workers where JSON.parse and the checks alone took 9 s on one thread). Memory
 * stays flat whatever the input: a worker holds one read chunk and one row group, at most
 * MAX_TASKS_PER_WORKER tasks (lists of paths) wait per worker, and no new task is handed out while the
 * warehouse is not ready to take a segment, which also bounds the temporary disk used.
 *
 * Running from the TypeScript sources (vitest) there is no compiled worker script: the same runner then
 * works on the main thread, one task at a time, so tests exercise the same reading, checks and encoding.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { SourceError } from '../errors.js';
import { parquetColumns } from '../records/staging-parquet-writer.js';
import type { DataLocation } from '../sources/source.js';
import type { StagingFileIntake, TableWriter } from '../warehouses/warehouse.js';
import type { DatasetSpec, StagedCounts } from './dataset-stager.js';
import { StagingTaskRunner, type RunnerMessage, type StagingRunnerOptions } from './staging-task-runner.js';
import type { WorkerRequest } from './staging-worker.js';

const WORKER_SCRIPT = new URL('./staging-worker.js', import.meta.url);
// One worker per core, up to four: the main thread only lists files and passes messages.
const MAX_WORKERS = 4;
const MAX_TASKS_PER_WORKER = 2;
// A worker hands a segment over once it holds this much; the warehouse decides when to load it.
const SEGMENT_BYTES = 64 << 20;
// Song files are tiny: many per task, so a message carries real work. Log files are big: a few per task.
const TASK_FILES = { 'json-objects': 512, 'json-lines': 16 } as const;
const TASK_BYTES = 16 << 20;

interface Lane {
  inFlight: number;
  flushed: boolean;
  send(request: WorkerRequest): void;
  stop(): Promise<void>;
}

/**
 * Stages every file of `location` (whose objects are local files) as Parquet files handed to `intake`, and
 * rejects into `rejects`, adding to `counts` and calling `report` as tasks complete. The writer behind
 * `intake` loads what it was handed when it finishes.
 */
export async function stageInWorkers(
  location: DataLocation,
  spec: DatasetSpec,
  intake: StagingFileIntake,
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
  // Segments handed to the intake that it has not taken yet: no new task meanwhile.
  let handing = 0;
  let rejectWrites = Promise.resolve();

  const onMessage = (lane: Lane, message: RunnerMessage) => {
    switch (message.type) {
      case 'segment':
        handing += 1;
        intake.add(message.path, message.rows).then(() => {
          handing -= 1;
          wake();
        }, fail);
        break;
      case 'rejects':
        rejectWrites = rejectWrites.then(() => rejects.write(message.rows)).catch(fail);
        break;
      case 'done':
        lane.inFlight -= 1;
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
        fail(message.source ? new SourceError(message.message) : new Error(`Staging ${spec.name} failed: ${message.message}`));
        break;
    }
    wake();
  };

  const options = (index: number): StagingRunnerOptions => ({
    format: spec.format,
    fields: spec.fields,
    columns: parquetColumns(spec.table),
    dataset: spec.name,
    folder: intake.folder,
    prefix: `${spec.name}-${index}`,
    segmentBytes: SEGMENT_BYTES,
  });
  const threaded = existsSync(fileURLToPath(WORKER_SCRIPT));
  const lanes = threaded
    ? Array.from({ length: Math.min(availableParallelism(), MAX_WORKERS) }, (_, index) => workerLane(options(index), onMessage, fail))
    : [mainThreadLane(options(0), onMessage)];

  const waitFor = async (ready: () => boolean) => {
    while (!failure && !ready()) await changed();
    if (failure) throw failure;
  };
  let taskId = 0;
  const dispatch = async (files: string[]) => {
    await waitFor(() => handing === 0 && lanes.some((lane) => lane.inFlight < MAX_TASKS_PER_WORKER));
    const lane = lanes.reduce((best, candidate) => (candidate.inFlight < best.inFlight ? candidate : best));
    lane.inFlight += 1;
    lane.send({ type: 'task', task: { id: ++taskId, files } });
    // On the main thread the task has run already: let loads and writes move before the next one.
    if (!threaded) await nextTurn();
  };

  try {
    let files: string[] = [];
    let bytes = 0;
    for await (const object of location.list()) {
      files.push(object.uri);
      bytes += object.size;
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

function workerLane(
  options: StagingRunnerOptions,
  onMessage: (lane: Lane, message: RunnerMessage) => void,
  fail: (error: unknown) => void,
): Lane {
  const worker = new Worker(WORKER_SCRIPT, { workerData: options });
  let stopping = false;
  const lane: Lane = {
    inFlight: 0,
    flushed: false,
    send: (request) => worker.postMessage(request),
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
  worker.on('message', (message: RunnerMessage) => onMessage(lane, message));
  worker.on('error', fail);
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
      else if (request.type === 'flush') runner.flush();
      else runner.close();
    },
    stop: async () => runner.close(),
  };
  const runner = new StagingTaskRunner(options, (message) => onMessage(lane, message));
  return lane;
}
