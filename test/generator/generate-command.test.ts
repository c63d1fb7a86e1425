/**
 * `sparkify generate`: option parsing and validation (a clear ConfigError naming the flag), the JSON result
 * and the human summary. Runs the commander command in-process with stdout captured.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateCommand } from '../../src/cli/commands/generate-command.js';
import { ConfigError } from '../../src/errors.js';
import { removeDataset, tempDataset } from './dataset-reader.js';

async function runGenerate(args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await generateCommand().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('sparkify generate', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await removeDataset(d);
  });

  it('generates with the given options and prints the result as JSON', async () => {
    const dir = tempDataset('cli-json');
    dirs.push(dir);
    const args = ['--out', dir, '--songs', '50', '--events', '400', '--days', '2', '--start', '2019-01-31'];
    const result = JSON.parse(await runGenerate([...args, '--seed', '3', '--match-rate', '0.5', '--json']));
    expect(result).toMatchObject({ out: dir, songs: 50, events: 400, logFiles: 2, options: { seed: 3, matchRate: 0.5, quirks: true } });
    expect(result.damage).toEqual({ count: 0, byKind: {}, benign: [], manifest: null });
  });

  it('prints a short summary, with the damage and where it is listed', async () => {
    const dir = tempDataset('cli-summary');
    dirs.push(dir);
    const text = await runGenerate(['--out', dir, '--songs', '50', '--events', '1000', '--damage', '0.05', '--no-quirks']);
    expect(text).toContain('50 songs in');
    expect(text).toContain('1,000 events in 7 daily files');
    expect(text).toMatch(/\d+ damaged records to reject \(.*truncated \d+/);
    expect(text).toContain('benign damages to accept');
    expect(text).toContain(`${dir}/damage.json`);
  });

  it.each([
    [['--songs', 'abc'], 'Invalid --songs: expected a number, got "abc"'],
    [['--songs', '0'], 'Invalid --songs: expected an integer from 1 to'],
    [['--events', '2.5'], 'Invalid --events: expected an integer'],
    [['--days', '-1'], 'Invalid --days: expected an integer from 1 to'],
    [['--start', '2018-02-30'], 'Invalid --start: expected a date YYYY-MM-DD'],
    [['--match-rate', '1.5'], 'Invalid --match-rate: expected a number from 0 to 1, got 1.5'],
    [['--damage', 'lots'], 'Invalid --damage: expected a number, got "lots"'],
    [['--seed', '-3'], 'Invalid --seed: expected an integer from 0'],
  ])('rejects %j with a ConfigError naming the flag', async (flags, message) => {
    const dir = tempDataset('cli-bad');
    dirs.push(dir);
    const run = runGenerate(['--out', dir, ...flags]);
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(message);
  });

  it('requires --out', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(runGenerate(['--songs', '5'])).rejects.toThrow(/--out/);
    } finally {
      stderr.mockRestore();
    }
  });
});
