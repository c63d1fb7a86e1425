/**
 * `sparkify etl`: load staging and publish the star schema (the classic etl.py). Same as `run`, kept for
 * the classic two-step workflow `create-tables` then `etl`.
 */
import type { Command } from 'commander';
import { loadCommand } from './run-command.js';

/** The `etl` verb. */
export function etlCommand(): Command {
  return loadCommand('etl', 'load the source into staging, then rebuild the star tables from it (as run)');
}
