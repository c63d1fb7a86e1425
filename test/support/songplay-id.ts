/**
 * DATA.md's songplay_id rule computed in plain TypeScript, apart from the pipeline's SQL: 60 bits of the MD5
 * of `ts|userId|sessionId|itemInSession|<file name>|<line>`, read from the raw log files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The songplay_id of the NextSong event on `line` (1-based) of the log file `file`. */
export function songplayIdOf(event: Record<string, unknown>, file: string, line: number): bigint {
  const text = (value: unknown) => (value === null || value === undefined || value === '' ? '' : String(value));
  const identity = [event.ts, event.userId, event.sessionId, event.itemInSession].map(text).concat(basename(file), String(line));
  return BigInt(`0x${createHash('md5').update(identity.join('|')).digest('hex').slice(0, 15)}`);
}

/** The ids of every NextSong event under `logFolder` (recursively), as strings, sorted. */
export function expectedSongplayIds(logFolder: string): string[] {
  const ids: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((text, index) => {
            if (text.trim() === '') return;
            const event = JSON.parse(text) as Record<string, unknown>;
            if (event.page === 'NextSong') ids.push(String(songplayIdOf(event, path, index + 1)));
          });
      }
    }
  };
  walk(logFolder);
  return ids.sort();
}
