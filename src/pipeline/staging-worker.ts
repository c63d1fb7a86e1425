/**
 * Entry point of a staging worker thread (see `staging-worker-pool.ts`): runs the tasks the pool sends with a
 * `StagingTaskRunner` and posts back what it reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StagingTaskRunner, type RunnerMessage, type StagingRunnerOptions, type StagingTask } from './staging-task-runner.js';

/** What the pool sends to a worker. */
export type WorkerRequest = { readonly type: 'task'; readonly task: StagingTask } | { readonly type: 'flush' };

if (parentPort) {
  const port = parentPort;
  // A chunk of rows moves to the main thread rather than being copied.
  const post = (message: RunnerMessage) => port.postMessage(message, message.type === 'rows' ? [message.bytes.buffer as ArrayBuffer] : []);
  const runner = new StagingTaskRunner(workerData as StagingRunnerOptions, post);
  port.on('message', (request: WorkerRequest) => {
    // The pool ends a worker by terminating it: there is no request to close.
    if (request.type === 'task') runner.run(request.task);
    else runner.flush();
  });
}
