/**
 * A live progress line on the terminal (stderr) for the stages of a run. Nothing is drawn when stderr
 * is not a terminal or when JSON output was asked for, so pipes and logs stay clean.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener, StageName } from '../pipeline/progress.js';
import { groupDigits } from '../number-format.js';

const STAGE_LABELS: Record<StageName, string> = {
  'create-tables': 'create tables',
  'stage-songs': 'song files  ',
  'stage-events': 'log files   ',
  publish: 'publish     ',
};

/** A progress display; `listener` feeds it and `stop` clears it. */
export interface ProgressDisplay {
  readonly listener?: ProgressListener;
  stop(): void;
}

/** Creates a display when `enabled` and stderr is a terminal; otherwise one that does nothing. */
export function createProgressDisplay(enabled: boolean): ProgressDisplay {
  if (!enabled || !process.stderr.isTTY) return { stop() {} };
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: '{label} {files} files  {records} records  {megabytes} MB  {duration}s',
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const stageBars = new Map<StageName, cliProgress.SingleBar>();
  const listener = (event: ProgressEvent) => {
    const payload = {
      label: STAGE_LABELS[event.stage],
      files: groupDigits(event.files),
      records: groupDigits(event.records),
      megabytes: (event.bytes / 1e6).toFixed(1),
    };
    let bar = stageBars.get(event.stage);
    if (!bar) {
      bar = bars.create(0, 0, payload);
      stageBars.set(event.stage, bar);
    }
    bar.update(event.files, payload);
    if (event.done) bar.stop();
  };
  return { listener, stop: () => bars.stop() };
}
