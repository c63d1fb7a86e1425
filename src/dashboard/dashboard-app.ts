/**
 * The dashboard's HTTP app (Hono): one page, the report's, with filters taken from the query string. Safe
 * by construction: GET (and HEAD) only; a Host header that is not the server's own is refused, so a page
 * elsewhere cannot reach it through DNS rebinding; filters are checked and bound to named queries, so no
 * SQL comes from the browser; the warehouse is opened read-only.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ConfigError } from '../errors.js';
import { escapeHtml } from '../report/html-parts.js';
import { parseReportFilters } from '../report/report-filters.js';
import { renderReportPage } from '../report/report-html.js';
import type { ReportReader } from './report-reader.js';

/** Options of `createDashboardApp`. */
export interface DashboardAppOptions {
  readonly reader: ReportReader;
  /** Host header values accepted ("127.0.0.1:8080", "localhost:8080"), compared case-insensitively. */
  readonly allowedHosts: () => ReadonlySet<string>;
}

const FILTER_KEYS = ['from', 'to', 'level', 'gender', 'location'] as const;

/** The dashboard app; serve it with @hono/node-server or call `app.request()` in tests. */
export function createDashboardApp(options: DashboardAppOptions): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (!options.allowedHosts().has(host)) {
      return c.text(`Refused: Host ${host || '(none)'} is not this dashboard's address.\n`, 403);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD');
      return c.text('Only GET is served.\n', 405);
    }
    await next();
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/', async (c) => {
    let filters: ReturnType<typeof parseReportFilters>;
    try {
      const given = c.req.queries();
      const unknown = Object.keys(given).filter((key) => !(FILTER_KEYS as readonly string[]).includes(key));
      if (unknown.length > 0) throw new ConfigError(`Unknown filter ${unknown[0]}: expected one of ${FILTER_KEYS.join(', ')}`);
      // Two values of one filter (?level=free&level=paid) would silently show the first.
      const repeated = Object.entries(given).find(([, values]) => values.length > 1);
      if (repeated) throw new ConfigError(`Filter ${repeated[0]} is given ${repeated[1].length} times: give it once`);
      filters = parseReportFilters(Object.fromEntries(FILTER_KEYS.map((key) => [key, c.req.query(key)])));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return c.html(messagePage('Bad filter', error.message), 400);
    }
    const outcome = await options.reader.read(filters);
    if (!outcome.data) {
      // Nothing read yet (the first read meets a running load, or there is no warehouse yet): a page that
      // says why and tries again.
      return c.html(messagePage('No figures to show yet', `${outcome.stale ?? ''} This page refreshes in a few seconds.`, 3), 200);
    }
    return c.html(renderReportPage(outcome.data, { mode: 'dashboard', notice: outcome.stale }));
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.notFound((c) => c.text('Not found.\n', 404));
  return app;
}

function messagePage(title: string, message: string, refreshSeconds?: number): string {
  const refresh = refreshSeconds ? `<meta http-equiv="refresh" content="${refreshSeconds}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<title>${escapeHtml(title)}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 700px; margin: 40px auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to all plays</a></p></body></html>`;
}
