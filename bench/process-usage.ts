/**
 * Preloaded into the benchmark's child processes (`node --import`): when the process exits it writes its CPU
 * time (every thread: JavaScript, workers and DuckDB's) and its peak resident memory to the file named by
 * SPARKIFY_BENCH_USAGE. The benchmark times the wall clock itself, from spawn to exit.
 */
import { writeFileSync } from 'node:fs';

/** What a measured process reports. */
export interface ProcessUsage {
  /** User plus system CPU time of all threads, in seconds. */
  readonly cpuSeconds: number;
  /** Peak resident set size, in megabytes. */
  readonly peakMemoryMB: number;
}

const file = process.env.SPARKIFY_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const usage: ProcessUsage = {
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      // maxRSS is in kilobytes.
      peakMemoryMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    writeFileSync(file, JSON.stringify(usage));
  });
}
