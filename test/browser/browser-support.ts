/**
 * Real headless Chromium for the browser tests: the Debian `chromium` package driven by playwright-core
 * (which never downloads a browser). Where Chromium is missing the suites are skipped visibly, except in
 * CI (CI=true), where a missing browser fails the run instead: a browser test must not pass by not running.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** The Chromium binary: SPARKIFY_TEST_CHROMIUM, or Debian's. */
export const CHROMIUM_PATH = process.env.SPARKIFY_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** The public sample the known figures come from. */
export const PUBLIC_SAMPLE = new URL('../../../shared/data/sparkify-sample', import.meta.url).pathname;

const inCi = process.env.CI === 'true';

/** Why the browser suites cannot run here, or undefined when they can. Throws in CI instead of skipping. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SPARKIFY_TEST_CHROMIUM)`;
  if (inCi) throw new Error(`Browser tests cannot run in CI: ${reason}`);
  process.stderr.write(`sparkify tests: the browser tests are SKIPPED: ${reason}\n`);
  return reason;
}

/** Why the public-sample suites cannot run here (no sample), or undefined. */
export function sampleSkipReason(): string | undefined {
  if (existsSync(PUBLIC_SAMPLE)) return undefined;
  const reason = `the public sample is not at ${PUBLIC_SAMPLE}`;
  process.stderr.write(`sparkify tests: the public-sample browser tests are SKIPPED: ${reason}\n`);
  return reason;
}

/**
 * Launches headless Chromium with no background traffic of its own (so every request seen is the page's).
 * No sandbox when running as root, where Chromium refuses to start with one.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  const args = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
  // playwright-core is pinned exactly; other Chromium versions are not guaranteed, so say which one ran.
  process.stderr.write(`sparkify tests: Chromium ${browser.version()} at ${CHROMIUM_PATH}\n`);
  return browser;
}

/** The git-ignored folder where the tests save screenshots for review. */
export function screenshotFolder(): string {
  const folder = new URL('../../.tmp/screenshots', import.meta.url).pathname;
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** The path of screenshot `name`.png in the review folder. */
export function screenshotPath(name: string): string {
  return join(screenshotFolder(), `${name}.png`);
}
