/**
 * The report file in real headless Chromium, opened from file:// offline: no request beyond the file
 * itself, no console error, the public sample's known figures, and charts that show with JavaScript off.
 */
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipeline/run.js';
import { report } from '../../src/report/report.js';
import { tempFolder } from '../support/test-warehouses.js';
import { browserSkipReason, launchChromium, PUBLIC_SAMPLE, sampleSkipReason, screenshotPath } from './browser-support.js';

const skip = browserSkipReason() ?? sampleSkipReason();

describe.skipIf(skip)(`the report in Chromium${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let browser: Browser;
  let fileUrl: string;

  beforeAll(async () => {
    const folder = tempFolder('sparkify-report-');
    const warehouse = `duckdb:${folder}/sample.duckdb`;
    await run({ options: { source: PUBLIC_SAMPLE, warehouse }, env: {}, cwd: folder });
    const written = await report({ options: { warehouse }, env: {}, cwd: folder, out: 'report.html' });
    fileUrl = pathToFileURL(written.path).href;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens offline from disk with no request but the file and no console error, and shows the known figures', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(fileUrl);
    await page.waitForLoadState('load');

    const firstSong = page.locator('[data-testid="top-songs-logged"] tbody tr').first().locator('td');
    expect(await firstSong.allTextContents()).toEqual(["You're The One", 'Dwight Yoakam', '37']);
    expect(await page.getByTestId('busiest-hour').textContent()).toBe('16:00 UTC');
    expect(await page.getByTestId('plays').textContent()).toBe('6,820');
    expect(await page.getByTestId('listeners').textContent()).toBe('96');
    // Every section's charts are inline SVG; the SQL of a figure opens on demand.
    expect(await page.locator('section svg').count()).toBeGreaterThanOrEqual(4);
    await page.locator('details[data-query="top_songs_logged"] summary').click();
    expect(await page.locator('details[data-query="top_songs_logged"] pre').textContent()).toContain('FROM staging_events e');

    await page.screenshot({ path: screenshotPath('report-full'), fullPage: true });
    await page.screenshot({ path: screenshotPath('report-top') });
    expect(requests).toEqual([fileUrl]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows its charts with JavaScript off, and its policy refuses to load anything', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fileUrl);
    expect(await page.locator('section#plays-per-day svg path').count()).toBeGreaterThan(30);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("default-src 'none'");
    expect(await page.locator('script').count()).toBe(0);
    await context.close();
  });
});
