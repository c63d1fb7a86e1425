/**
 * Waiting for AWS: a resource polled until it reaches a state, with each poll reported, because the SDK's
 * waiters (waitUntilClusterAvailable) report nothing for the minutes a cluster takes, and Redshift
 * Serverless has none. The interval is SPARKIFY_INFRA_POLL_SECONDS (default 15; tests use fractions).
 */
import { InfraError } from './infra-errors.js';

/** What `infra` reports as it goes: a step done, or the state of a resource being waited for. */
export interface InfraEvent {
  /** The resource, as printed: `cluster sparkify-dwh`, `IAM role sparkify-redshift-s3-read`. */
  readonly resource: string;
  /** Its state or what was done: `creating`, `available`, `created`, `kept`. */
  readonly state: string;
  /** Seconds waited so far, while waiting. */
  readonly elapsedSeconds?: number;
  /** True on the last event about this resource. */
  readonly done?: boolean;
}

/** Receives InfraEvents. */
export type InfraListener = (event: InfraEvent) => void;

/** How one wait goes. */
export interface WaitOptions<T> {
  readonly resource: string;
  /** One poll; undefined means the resource is gone. */
  describe(): Promise<T | undefined>;
  /** The state to report. */
  state(found: T | undefined): string;
  /** True when the wait is over. */
  reached(found: T | undefined): boolean;
  readonly onEvent?: InfraListener;
  /** Give up after this long (default 45 minutes: a large cluster can take 20). */
  readonly timeoutSeconds?: number;
}

/** Polls until `reached`; returns the last description. Throws an InfraError on time-out. */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T | undefined> {
  const started = Date.now();
  const interval = pollSeconds() * 1000;
  const timeout = (options.timeoutSeconds ?? 45 * 60) * 1000;
  for (;;) {
    const found = await options.describe();
    const elapsedSeconds = Math.round((Date.now() - started) / 1000);
    const state = options.state(found);
    if (options.reached(found)) {
      options.onEvent?.({ resource: options.resource, state, elapsedSeconds, done: true });
      return found;
    }
    options.onEvent?.({ resource: options.resource, state, elapsedSeconds });
    if (Date.now() - started > timeout) {
      throw new InfraError(`${options.resource} is still ${state} after ${elapsedSeconds} s: see the AWS console, then run again`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function pollSeconds(): number {
  const value = Number(process.env.SPARKIFY_INFRA_POLL_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 15;
}
