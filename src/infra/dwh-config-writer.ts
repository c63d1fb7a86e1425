/**
 * Writes the keys `sparkify infra up` owns into a dwh.cfg ([CLUSTER] HOST, DB_NAME, DB_USER, DB_PORT,
 * [IAM_ROLE] ARN, [SPARKIFY] WAREHOUSE) and leaves every other byte as it was.
 *
 * Why a line editor and not the `ini` package: `ini.stringify` rewrites the whole file, dropping comments,
 * reordering nothing but normalising spacing, quoting and line ends. The file belongs to the user (often the
 * classic template with its comments, quotes and CRLF line ends), so only the lines of the keys set change:
 * a key line keeps its own spelling, spacing and quoting; a missing key goes after its section's last key; a
 * missing section goes at the end. Reading stays with dwh-config-file.ts. The file is replaced atomically
 * (a temporary file in the same folder, then rename), so a crash never leaves half a config.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';

/** One key to set (`value`) or remove (`value` undefined). */
export interface DwhConfigEdit {
  readonly section: string;
  readonly key: string;
  readonly value?: string;
  /** When given, an existing key is changed only if its current value (unquoted) matches. */
  readonly onlyReplacing?: RegExp;
}

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
// configparser's delimiters are = and :, comments start with # or ;.
const KEY = /^([^\s#;[=:][^=:]*?)(\s*[=:]\s*)(.*)$/;
const COMMENT_OR_BLANK = /^\s*([#;].*)?$/;

/**
 * Applies `edits` to the text of a dwh.cfg and returns the new text; `text` empty means a new file. Keys
 * and sections match case-insensitively, as the reader does.
 */
export function editDwhConfig(text: string, edits: readonly DwhConfigEdit[]): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const endsWithNewline = body === '' || /\r?\n$/.test(body);
  const lines = body === '' ? [] : body.replace(/\r?\n$/, '').split(/\r?\n/);
  const quoted = lines.some((line) => /[=:]\s*'.*'\s*$/.test(line));
  for (const edit of edits) {
    if (edit.value !== undefined && /[\r\n]/.test(edit.value))
      throw new ConfigError(`[${edit.section}] ${edit.key}: a value must be one line`);
    applyEdit(lines, edit, quoted);
  }
  if (lines.length === 0) return '';
  return `${bom}${lines.join(eol)}${endsWithNewline ? eol : ''}`;
}

/**
 * Applies `edits` to the file at `path` (created when missing) atomically. Returns true when the file
 * changed; false when it already said all that (then it is not touched at all).
 */
export function writeDwhConfig(path: string, edits: readonly DwhConfigEdit[]): boolean {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const after = editDwhConfig(before ?? '', edits);
  if (after === before) return false;
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // Same mode as before (a dwh.cfg may hold a password and be 0600); a new file is private.
    writeFileSync(temporary, after, { mode: before === undefined ? 0o600 : statSync(path).mode & 0o777 });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new ConfigError(`Cannot write config file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
  }
  return true;
}

function applyEdit(lines: string[], edit: DwhConfigEdit, quoted: boolean): void {
  const bounds = sectionBounds(lines, edit.section);
  const wantedKey = edit.key.toUpperCase();
  const written = (value: string) => (quoted ? `'${value}'` : value);
  if (!bounds) {
    if (edit.value === undefined) return;
    // A new section at the end, after a blank line unless the file is empty or ends with one.
    if (lines.length > 0 && lines[lines.length - 1]!.trim() !== '') lines.push('');
    lines.push(`[${edit.section}]`, `${edit.key}=${written(edit.value)}`);
    return;
  }
  let lastKeyEnd = bounds.start + 1;
  for (let index = bounds.start + 1; index < bounds.end; index++) {
    const line = lines[index]!;
    if (COMMENT_OR_BLANK.test(line) || /^\s/.test(line)) continue;
    const match = KEY.exec(line);
    if (!match) continue;
    const end = continuationEnd(lines, index, bounds.end);
    if (match[1]!.trim().toUpperCase() !== wantedKey) {
      lastKeyEnd = end;
      continue;
    }
    const current = match[3]!.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (edit.onlyReplacing && !edit.onlyReplacing.test(current)) return;
    if (edit.value === undefined) {
      lines.splice(index, end - index);
      return;
    }
    const old = match[3]!;
    const value = /^'.*'\s*$/.test(old) ? `'${edit.value}'` : /^".*"\s*$/.test(old) ? `"${edit.value}"` : edit.value;
    const replacement = `${match[1]}${match[2]}${value}`;
    lines.splice(index, end - index, replacement);
    return;
  }
  if (edit.value === undefined) return;
  lines.splice(lastKeyEnd, 0, `${edit.key}=${written(edit.value)}`);
}

// The line of `[section]` and the index where the section ends (the next header or the end of the file).
function sectionBounds(lines: readonly string[], section: string): { start: number; end: number } | undefined {
  const wanted = section.toUpperCase();
  const start = lines.findIndex((line) => SECTION.exec(line)?.[1]?.trim().toUpperCase() === wanted);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !SECTION.test(lines[end]!)) end++;
  return { start, end };
}

// configparser continues a value on indented lines that follow it.
function continuationEnd(lines: readonly string[], index: number, limit: number): number {
  let end = index + 1;
  while (end < limit && /^\s+\S/.test(lines[end]!) && !/^\s*[#;]/.test(lines[end]!)) end++;
  return end;
}
