/**
 * The dashboard in real headless Chromium over the public sample: its filters change every number as the
 * SQL says they should, and a page reached through a foreign name (DNS rebinding, simulated by Chromium's
 * host resolver mapping that name to loopback) is refused.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { dashboard, type RunningDashboard } from '../../src/dashboard/dashboard-server.js';
import { query } from '../../src/pipeline/query.js';
import { run } from '../../src/pipeline/run.js';
import { tempFolder } from '../support/test-warehouses.js';
import { browserSkipReason, launchChromium, PUBLIC_SAMPLE, sampleSkipReason, screenshotPath } from './browser-support.js';

const skip = browserSkipReason() ?? sampleSkipReason();

describe.skipIf(skip)(`the dashboard in Chromium${skip ? ` (SKIPPED: ${skip})` : ''}`, () => {
  let browser: Browser;
  let running: RunningDashboard;
  let warehouse: string;
  const count = async (where: string) => {
    const [row] = await query(
      `SELECT COUNT(*) AS plays, COUNT(DISTINCT sp.user_id) AS listeners FROM songplays sp LEFT JOIN users u ON u.user_id = sp.user_id WHERE ${where}`,
      {
        options: { warehouse },
        env: {},
      },
    );
    return { plays: Number(row!.plays).toLocaleString('en-US'), listeners: Number(row!.listeners).toLocaleString('en-US') };
  };
  const shown = async (page: Page) => ({
    plays: await page.getByTestId('plays').textContent(),
    listeners: await page.getByTestId('listeners').textContent(),
  });

  beforeAll(async () => {
    const folder = tempFolder('sparkify-dashboard-');
    warehouse = `duckdb:${folder}/sample.duckdb`;
    await run({ options: { source: PUBLIC_SAMPLE, warehouse }, env: {}, cwd: folder });
    // Patient, as a slow machine's first read of a filter would otherwise show the busy page (nothing read yet).
    running = await dashboard({ settings: loadSettings({ options: { warehouse }, env: {} }), port: 0, patienceMs: 30_000 });
    // The foreign name resolves to loopback inside this browser only, as a rebinding attacker's would.
    browser = await launchChromium(['--host-resolver-rules=MAP rebind.invalid 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('updates every figure when a filter is applied, to what the SQL gives', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(running.url);
    expect(await shown(page)).toEqual(await count('TRUE'));
    expect(await page.getByTestId('plays').textContent()).toBe('6,820');

    await page.selectOption('#f-level', 'paid');
    await page.click('button[type="submit"]');
    await page.waitForURL(/level=paid/);
    expect(await shown(page)).toEqual(await count("sp.level = 'paid'"));

    await page.fill('#f-from', '2018-11-10');
    await page.fill('#f-to', '2018-11-20');
    await page.selectOption('#f-gender', 'F');
    await page.click('button[type="submit"]');
    await page.waitForURL(/gender=F/);
    const expected = await count(
      "sp.level = 'paid' AND u.gender = 'F' AND sp.start_time >= TIMESTAMP '2018-11-10 00:00:00' AND sp.start_time < TIMESTAMP '2018-11-21 00:00:00'",
    );
    expect(await shown(page)).toEqual(expected);
    // Every other figure is built over the same bound filters: its SQL shows the placeholders.
    const perDay = await page.locator('details[data-query="plays_per_day"] pre').textContent();
    expect(perDay).toContain('sp.level = $3');
    await page.screenshot({ path: screenshotPath('dashboard-filtered-full'), fullPage: true });

    await page.goto(running.url);
    const location = 'San Francisco-Oakland-Hayward, CA';
    await page.selectOption('#f-location', location);
    await page.click('button[type="submit"]');
    await page.waitForURL(/location=/);
    expect(await shown(page)).toEqual(await count(`sp.location = '${location}'`));
    expect(await page.locator('[data-testid="top-locations"] tbody tr').count()).toBe(1);

    await page.goto(running.url);
    await page.screenshot({ path: screenshotPath('dashboard-top') });
    await page.screenshot({ path: screenshotPath('dashboard-full'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a page reached through a foreign name that resolves to loopback (DNS rebinding)', async () => {
    const page = await browser.newPage();
    const foreign = running.url.replace('127.0.0.1', 'rebind.invalid');
    const response = await page.goto(foreign);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toContain('is not this dashboard');
    expect(await page.locator('[data-testid="plays"]').count()).toBe(0);
    await page.close();
  });
});
