/**
 * Reads an INI file exactly as Python's `configparser.ConfigParser()` with its defaults reads it, since every
 * classic Sparkify script calls `config.read('dwh.cfg')` and `config.get(section, key)`:
 *
 * - `key = value` and `key: value` (the first `=` or `:` splits), keys case-insensitive (lowercased);
 * - `#` and `;` start a comment only at the start of a line: `DB_PASSWORD=Ab#12;x` is `Ab#12;x`;
 * - an indented line continues the value above it (joined with `\n`; blank lines inside are kept, trailing
 *   ones dropped); quotes are kept as written;
 * - `[DEFAULT]` (exactly so) gives every section its keys; `%(key)s` and `%%` are interpolated on `get`,
 *   and a lone `%` is an error there, as configparser's BasicInterpolation makes it;
 * - a repeated section or key, a line before any section, and a line that is neither are errors.
 *
 * Two leniences, both for files that configparser reads the same way elsewhere: a UTF-8 byte order mark is
 * skipped, and a section is found whatever the case of its name (the exact spelling wins when both exist).
 *
 * Hand-written because no INI package on npm has these semantics, and `ini` cannot be configured to: it
 * always strips inline `;`/`#` comments (cutting passwords short), does not take `:` as a delimiter or
 * continuation lines, splits section names on `.`, turns `true`/`false`/`null` and double-quoted values
 * into other values, and skips lines it cannot parse. The `configparser` package has no continuation lines,
 * no DEFAULT section, case-sensitive keys and no line numbers; `config-ini-parser` is GPL-3.0.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/** One value as configparser gives it, with where it was written. */
export interface DwhEntry {
  /** The value `config.get(section, key)` returns (interpolated; quotes kept). */
  readonly value: string;
  /** The section it was written in: the one asked for, or `DEFAULT`. */
  readonly section: string;
  /** The key as written in the file (configparser itself lowercases it). */
  readonly key: string;
  /** The line of the key (1-based). */
  readonly line: number;
}

interface RawEntry {
  readonly key: string;
  readonly line: number;
  readonly lines: string[];
}

interface RawSection {
  readonly name: string;
  readonly line: number;
  readonly entries: Map<string, RawEntry>;
}

/** The name configparser gives the section whose keys every other section inherits. */
export const DEFAULT_SECTION = 'DEFAULT';

// configparser's MAX_INTERPOLATION_DEPTH.
const MAX_INTERPOLATION_DEPTH = 10;

/**
 * The sections of one dwh.cfg, read as configparser reads them. `sparkify infra` and the settings both read
 * the file through this.
 *
 * @example
 * const cfg = readDwhSections('dwh.cfg');
 * cfg.get('CLUSTER', 'HOST')?.value; // as config.get('CLUSTER', 'HOST') gives it
 */
export class DwhSections {
  constructor(
    /** The file, for messages. */
    readonly path: string,
    private readonly defaults: RawSection,
    private readonly named: ReadonlyMap<string, RawSection>,
  ) {}

  /** The section names as written, in file order, without DEFAULT (like `config.sections()`). */
  sections(): string[] {
    return [...this.named.keys()];
  }

  /** Whether the section exists (case-insensitively; DEFAULT does not count, as in configparser). */
  has(section: string): boolean {
    return this.find(section) !== undefined;
  }

  /** The section's name as written in the file, if it exists. */
  nameOf(section: string): string | undefined {
    return this.find(section)?.name;
  }

  /** The keys of `section` as written, its own first, then DEFAULT's (like `config.options(section)`). */
  keys(section: string): string[] {
    const own = this.find(section);
    if (!own) return [];
    const keys = [...own.entries.values()].map((entry) => entry.key);
    const seen = new Set(own.entries.keys());
    for (const [lower, entry] of this.defaults.entries) if (!seen.has(lower)) keys.push(entry.key);
    return keys;
  }

  /** The keys written in the section itself, as written, in file order. */
  ownKeys(section: string): string[] {
    return [...(this.find(section)?.entries.values() ?? [])].map((entry) => entry.key);
  }

  /** The keys written in DEFAULT. */
  defaultKeys(): string[] {
    return [...this.defaults.entries.values()].map((entry) => entry.key);
  }

  /**
   * `config.get(section, key)`: the section's own key, else DEFAULT's; undefined when the section or the key
   * is missing. Throws a ConfigError naming the key when its `%` interpolation fails.
   */
  get(section: string, key: string): DwhEntry | undefined {
    const found = this.find(section);
    if (!found) return undefined;
    const lower = key.toLowerCase();
    const own = found.entries.get(lower);
    if (own) return this.entry(found, own);
    const inherited = this.defaults.entries.get(lower);
    return inherited ? this.entry(found, inherited, DEFAULT_SECTION) : undefined;
  }

  /** Only a key written in the section itself, not one inherited from DEFAULT. */
  own(section: string, key: string): DwhEntry | undefined {
    const found = this.find(section);
    const entry = found?.entries.get(key.toLowerCase());
    return found && entry ? this.entry(found, entry) : undefined;
  }

  /** A key written in DEFAULT itself. */
  defaultEntry(key: string): DwhEntry | undefined {
    const entry = this.defaults.entries.get(key.toLowerCase());
    return entry ? this.entry(this.defaults, entry) : undefined;
  }

  private find(section: string): RawSection | undefined {
    const exact = this.named.get(section);
    if (exact) return exact;
    const lower = section.toLowerCase();
    for (const candidate of this.named.values()) if (candidate.name.toLowerCase() === lower) return candidate;
    return undefined;
  }

  private entry(section: RawSection, entry: RawEntry, writtenIn = section.name): DwhEntry {
    const raw = joined(entry);
    const value = raw.includes('%') ? this.interpolate(section, entry, writtenIn, raw, 1) : raw;
    return { value, section: writtenIn, key: entry.key, line: entry.line };
  }

  // BasicInterpolation.before_get: %% is %, %(name)s the value of name in the same section (or DEFAULT).
  private interpolate(section: RawSection, entry: RawEntry, writtenIn: string, text: string, depth: number): string {
    const where = `${this.path} line ${entry.line}: [${writtenIn}] ${entry.key}`;
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new ConfigError(`${where}: %(...)s references nest deeper than ${MAX_INTERPOLATION_DEPTH} (a loop?)`);
    }
    let result = '';
    let rest = text;
    while (rest !== '') {
      const percent = rest.indexOf('%');
      if (percent < 0) return result + rest;
      result += rest.slice(0, percent);
      rest = rest.slice(percent);
      if (rest[1] === '%') {
        result += '%';
        rest = rest.slice(2);
      } else if (rest[1] === '(') {
        const reference = /^%\(([^)]+)\)s/.exec(rest);
        if (!reference) throw new ConfigError(`${where}: bad %(name)s reference at "${rest}"; write %% for a literal %`);
        const name = reference[1]!.toLowerCase();
        rest = rest.slice(reference[0].length);
        const target = section.entries.get(name) ?? this.defaults.entries.get(name);
        if (!target) throw new ConfigError(`${where}: %(${reference[1]})s names no key of [${section.name}] or [DEFAULT]`);
        const value = joined(target);
        result += value.includes('%') ? this.interpolate(section, entry, writtenIn, value, depth + 1) : value;
      } else {
        throw new ConfigError(`${where}: '%' must be followed by '%' or '(' as in Python's configparser; write %% for a literal %`);
      }
    }
    return result;
  }
}

// What the usual failures to read a file mean, said plainly (the code stays for the rest).
const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file (ENOENT)',
  EISDIR: 'a folder, not a file (EISDIR)',
  EACCES: 'permission denied (EACCES)',
};

/** Reads `path` as configparser would. Throws a ConfigError naming the file (and line) when it cannot. */
export function readDwhSections(path: string): DwhSections {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code ? (READ_FAILURES[code] ?? code) : String(error);
    throw new ConfigError(`Cannot read config file ${path}: ${why}`);
  }
  return parseDwhSections(text, path);
}

/** Parses the text of a config file as configparser would; `path` names the file in errors. */
export function parseDwhSections(text: string, path: string): DwhSections {
  const defaults: RawSection = { name: DEFAULT_SECTION, line: 0, entries: new Map() };
  const named = new Map<string, RawSection>();
  let section: RawSection | undefined;
  let option: RawEntry | undefined;
  let indent = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const number = index + 1;
    const value = line.trim();
    if (value.startsWith('#') || value.startsWith(';')) return;
    if (value === '') {
      // empty_lines_in_values: kept inside a value that an indented line may continue.
      option?.lines.push('');
      return;
    }
    const lineIndent = line.search(/\S/);
    if (section && option && lineIndent > indent) {
      option.lines.push(value);
      return;
    }
    indent = lineIndent;
    const header = /^\[(.+)\]/.exec(value);
    if (header) {
      const name = header[1]!;
      option = undefined;
      if (name === DEFAULT_SECTION) {
        section = defaults;
        return;
      }
      const earlier = named.get(name);
      if (earlier) throw new ConfigError(`${path} line ${number}: section [${name}] repeats the one at line ${earlier.line}; merge them`);
      section = { name, line: number, entries: new Map() };
      named.set(name, section);
      return;
    }
    if (!section) {
      throw new ConfigError(
        `${path} line ${number}: "${shown(value)}" comes before any [section] header; start the file with one, such as [CLUSTER]`,
      );
    }
    const pair = /^(.*?)\s*[=:]\s*(.*)$/.exec(value);
    if (!pair || pair[1] === '') {
      throw new ConfigError(
        `${path} line ${number}: "${shown(value)}" is neither a [section], a key = value (or key: value) line nor an indented continuation`,
      );
    }
    const key = pair[1]!;
    const lower = key.toLowerCase();
    const earlier = section.entries.get(lower);
    if (earlier) {
      throw new ConfigError(`${path} line ${number}: [${section.name}] ${key} is set again (first at line ${earlier.line}); keep one`);
    }
    option = { key, line: number, lines: [pair[2]!] };
    section.entries.set(lower, option);
  });
  return new DwhSections(path, defaults, named);
}

/** A value with the quotes the classic template wraps values in (`HOST='...'`) removed, and trimmed. */
export function unquoted(value: string): string {
  const trimmed = value.trim();
  return /^'.*'$/s.test(trimmed) || /^".*"$/s.test(trimmed) ? trimmed.slice(1, -1).trim() : trimmed;
}

function joined(entry: RawEntry): string {
  return entry.lines.join('\n').trimEnd();
}

// A line in an error message, never a whole password line: only what comes before a delimiter.
function shown(line: string): string {
  const text = line.replace(/[=:].*$/, '=...');
  return text.length > 24 ? `${text.slice(0, 21)}...` : text;
}
