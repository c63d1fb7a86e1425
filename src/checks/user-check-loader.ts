/**
 * User checks: the `.sql` files of the checks folder (`--checks`, `SPARKIFY_CHECKS`, `[SPARKIFY] CHECKS`,
 * or `./checks` when it exists), each a SELECT returning the failing rows, as dbt's singular tests are.
 * The check is named after its file; its severity is `error` unless its first line is `-- severity: warn`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CheckFolderSetting } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import type { CheckDefinition, CheckSeverity } from './check-report.js';

/** The user checks and where they came from. */
export interface UserChecks {
  /** The folder read, or null when there is none. */
  readonly folder: string | null;
  readonly checks: readonly CheckDefinition[];
}

const SEVERITY_LINE = /^--\s*severity\s*:\s*(\S*)\s*$/i;

/**
 * Reads the checks of `setting`'s folder, in file name order. A folder that was named must exist and hold
 * at least one `.sql` file: a gate whose checks went missing must not pass as if they had run.
 */
export function loadUserChecks(setting: CheckFolderSetting | undefined, reserved: ReadonlySet<string> = new Set()): UserChecks {
  if (!setting) return { folder: null, checks: [] };
  const { folder, origin } = setting;
  let names: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new ConfigError(`${origin ?? 'checks'}: ${folder} is not a folder of .sql checks`);
    names = readdirSync(folder).filter((name) => name.toLowerCase().endsWith('.sql'));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `${origin ?? 'checks'}: cannot read the checks folder ${folder}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  if (names.length === 0 && origin) {
    throw new ConfigError(`${origin}: the checks folder ${folder} holds no .sql file; expected one SELECT of failing rows per file`);
  }
  const checks = names.sort().map((name) => parseUserCheck(join(folder, name), readFileSync(join(folder, name), 'utf8')));
  for (const check of checks) {
    if (reserved.has(check.name)) {
      throw new ConfigError(`${check.origin}: the check name "${check.name}" is a built-in check's; rename the file`);
    }
  }
  return { folder, checks };
}

/** One check from the text of its file at `path`. */
export function parseUserCheck(path: string, text: string): CheckDefinition {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  let severity: CheckSeverity = 'error';
  const declared = SEVERITY_LINE.exec(firstLine.trim());
  if (declared) {
    const value = declared[1]!.toLowerCase();
    if (value !== 'warn' && value !== 'error') {
      throw new ConfigError(`${path} line 1: expected "-- severity: warn" or "-- severity: error", got "${firstLine.trim()}"`);
    }
    severity = value;
  }
  // The SELECT is wrapped in a subquery to count and keep its rows, so a final semicolon has to go.
  const sql = body.trim().replace(/;\s*$/, '').trim();
  const withoutComments = sql.replace(/--[^\n]*/g, '').trim();
  if (withoutComments === '') throw new ConfigError(`${path}: the check holds no SQL; expected a SELECT returning the failing rows`);
  return {
    name: basename(path).replace(/\.sql$/i, ''),
    severity,
    description: `user check ${basename(path)}`,
    origin: path,
    sql,
  };
}
