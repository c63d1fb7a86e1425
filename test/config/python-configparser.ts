/**
 * What Python's configparser makes of config files, for comparing with ours: one python3 process reads
 * every file as the classic scripts do (`ConfigParser()`, `read`, `get`), and both sides are reduced to the
 * same shape. A UTF-8 byte order mark is the one difference we allow (we skip it; Python reads the files
 * here as utf-8-sig so that the rest can be compared).
 */
import { spawnSync } from 'node:child_process';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_SECTION, parseDwhSections } from '../../src/config/configparser-reader.js';

/** Each section's values by lowercased key (null where `get` fails), or the fact that reading failed. */
export type ParsedConfig = { readonly sections: Record<string, Record<string, string | null>> } | { readonly error: true };

/** Whether python3 runs here, and why not when it does not. */
export function pythonUnavailable(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import configparser'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `python3 with configparser is not available (${probe.error?.message ?? probe.stderr.trim()})`;
}

const SCRIPT = `
import configparser, json, sys
out = {}
for path in sys.argv[1:]:
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding='utf-8-sig')
    except configparser.Error:
        out[path] = {'error': True}
        continue
    sections = {}
    for section in ['DEFAULT'] + parser.sections():
        keys = parser.defaults().keys() if section == 'DEFAULT' else parser.options(section)
        values = {}
        for key in keys:
            try:
                values[key] = parser.get(section, key)
            except configparser.Error:
                values[key] = None
        sections[section] = values
    out[path] = {'sections': sections}
print(json.dumps(out))
`;

/** What configparser gives for each of `paths`. */
export function parsedByPython(paths: readonly string[]): Record<string, ParsedConfig> {
  const result = spawnSync('python3', ['-c', SCRIPT, ...paths], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, ParsedConfig>;
}

/** What our reader gives for `text`, in the same shape. */
export function parsedByUs(text: string, path: string): ParsedConfig {
  let sections: ReturnType<typeof parseDwhSections>;
  try {
    sections = parseDwhSections(text, path);
  } catch (error) {
    if (error instanceof ConfigError) return { error: true };
    throw error;
  }
  const readValue = (read: () => string | undefined): string | null => {
    try {
      return read() ?? null;
    } catch (error) {
      if (error instanceof ConfigError) return null;
      throw error;
    }
  };
  const result: Record<string, Record<string, string | null>> = {};
  result[DEFAULT_SECTION] = Object.fromEntries(
    sections.defaultKeys().map((key) => [key.toLowerCase(), readValue(() => sections.defaultEntry(key)?.value)]),
  );
  for (const section of sections.sections()) {
    result[section] = Object.fromEntries(
      sections.keys(section).map((key) => [key.toLowerCase(), readValue(() => sections.get(section, key)?.value)]),
    );
  }
  return { sections: result };
}
