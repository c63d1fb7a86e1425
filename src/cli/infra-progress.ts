/**
 * Progress of `sparkify infra` on stderr: on a terminal a live line per resource being waited for (state and
 * seconds, redrawn at each poll); otherwise one plain line per change of state, so logs show what happened
 * without a line per poll. Nothing at all with --json.
 */
import cliProgress from 'cli-progress';
import type { InfraEvent, InfraListener } from '../infra/infra.js';

/** A listener and the function that ends the display. */
export interface InfraProgress {
  readonly listener?: InfraListener;
  stop(): void;
}

/** The display for `enabled` output on stderr. */
export function createInfraProgress(enabled: boolean): InfraProgress {
  if (!enabled) return { stop() {} };
  if (!process.stderr.isTTY) return plainLines();
  const bars = new cliProgress.MultiBar(
    { stream: process.stderr, format: '{resource}: {state} {elapsed}', hideCursor: true, clearOnComplete: false, fps: 4 },
    cliProgress.Presets.shades_classic,
  );
  const open = new Map<string, cliProgress.SingleBar>();
  const listener = (event: InfraEvent) => {
    const payload = {
      resource: event.resource,
      state: event.state,
      elapsed: event.elapsedSeconds === undefined ? '' : `(${event.elapsedSeconds} s)`,
    };
    let bar = open.get(event.resource);
    if (!bar) {
      bar = bars.create(1, 0, payload);
      open.set(event.resource, bar);
    }
    bar.update(event.done ? 1 : 0, payload);
    if (event.done) {
      bar.stop();
      open.delete(event.resource);
    }
  };
  return { listener, stop: () => bars.stop() };
}

function plainLines(): InfraProgress {
  const last = new Map<string, string>();
  const listener = (event: InfraEvent) => {
    if (last.get(event.resource) === event.state && !event.done) return;
    last.set(event.resource, event.state);
    const elapsed = event.elapsedSeconds === undefined ? '' : ` (${event.elapsedSeconds} s)`;
    process.stderr.write(`${event.resource}: ${event.state}${elapsed}\n`);
  };
  return { listener, stop() {} };
}
