/**
 * What a listener does within one session, like eventsim: log in (or browse logged out first), play songs,
 * visit Home, Settings, Help..., upgrade or downgrade, log out and maybe back in. The weights reproduce the
 * page mix of the public sample (NextSong about 85% of events).
 */
import type { RandomSource } from './random-source.js';
import type { Level } from './user-population.js';

/** The pages of the logs. */
export type Page =
  | 'NextSong'
  | 'Home'
  | 'Login'
  | 'Logout'
  | 'Downgrade'
  | 'Settings'
  | 'Help'
  | 'About'
  | 'Upgrade'
  | 'Save Settings'
  | 'Error'
  | 'Submit Upgrade'
  | 'Submit Downgrade';

/** HTTP method and status of each page, as in the sample: pages are GET 200, actions PUT 307, Error 404. */
export const PAGE_REQUESTS: Readonly<Record<Page, { readonly method: 'GET' | 'PUT'; readonly status: number }>> = {
  NextSong: { method: 'PUT', status: 200 },
  Home: { method: 'GET', status: 200 },
  Login: { method: 'PUT', status: 307 },
  Logout: { method: 'PUT', status: 307 },
  Downgrade: { method: 'GET', status: 200 },
  Settings: { method: 'GET', status: 200 },
  Help: { method: 'GET', status: 200 },
  About: { method: 'GET', status: 200 },
  Upgrade: { method: 'GET', status: 200 },
  'Save Settings': { method: 'PUT', status: 307 },
  Error: { method: 'GET', status: 404 },
  'Submit Upgrade': { method: 'PUT', status: 307 },
  'Submit Downgrade': { method: 'PUT', status: 307 },
};

/** One session in progress (objects are reused for later sessions: see `startSession`). */
export interface Session {
  id: number;
  user: number;
  /** itemInSession of the next event. */
  item: number;
  /** Events the session may still emit. */
  remaining: number;
  loggedIn: boolean;
  /** Logged-out pages still to browse before logging in or leaving. */
  loggedOutPages: number;
  willLogIn: boolean;
  previous: Page | null;
  /** Epoch second from which the session may emit its next event. */
  readyAt: number;
}

/** Logged-in page weights when nothing forces the next page (free users see Upgrade, paid ones Downgrade). */
const BROWSING: readonly (readonly [Page, number])[] = [
  ['NextSong', 0.9],
  ['Home', 0.03],
  ['Logout', 0.012],
  ['Settings', 0.008],
  ['Help', 0.006],
  ['About', 0.004],
  ['Error', 0.0013],
];
const FREE_BROWSING = [...BROWSING, ['Upgrade', 0.014] as const];
const PAID_BROWSING = [...BROWSING, ['Downgrade', 0.011] as const];
const FREE_WEIGHTS = FREE_BROWSING.map(([, w]) => w);
const PAID_WEIGHTS = PAID_BROWSING.map(([, w]) => w);

/**
 * Starts a session for `user` at `time`: mostly logged in, some logged out first, a few never logging in.
 * Pass a finished session as `reuse` to recycle its object: sessions live long enough to reach the old
 * generation of the garbage collector, and millions of dead ones there would inflate peak memory.
 */
export function startSession(id: number, user: number, time: number, random: RandomSource, reuse?: Session): Session {
  // Sessions average about a dozen events with a long tail (the sample's are cut by its 30-day window).
  const remaining = 1 + Math.floor(random.exponential(12));
  const kind = random.weighted([82, 12, 6]);
  const session: Session = reuse ?? {
    id,
    user,
    item: 0,
    remaining,
    loggedIn: true,
    loggedOutPages: 0,
    willLogIn: false,
    previous: null,
    readyAt: time,
  };
  session.id = id;
  session.user = user;
  session.item = 0;
  session.remaining = remaining;
  session.loggedIn = kind === 0;
  session.loggedOutPages = kind === 0 ? 0 : kind === 1 ? random.weighted([40, 45, 15]) : 1 + random.int(2);
  session.willLogIn = kind === 1;
  session.previous = null;
  session.readyAt = time;
  return session;
}

/** The next page of a session, or null when the session ends (a visitor leaving, a listener done). */
export function nextPage(session: Session, level: Level, random: RandomSource): Page | null {
  if (session.remaining <= 0) return null;
  if (!session.loggedIn) {
    if (session.loggedOutPages > 0) {
      session.loggedOutPages -= 1;
      return (['Home', 'About', 'Help'] as const)[random.weighted([80, 12, 8])] as Page;
    }
    return session.willLogIn ? 'Login' : null;
  }
  switch (session.previous) {
    case null:
      return random.chance(0.45) ? 'Home' : 'NextSong';
    case 'Login':
    case 'Submit Upgrade':
    case 'Submit Downgrade':
      return 'Home';
    case 'Settings':
      if (random.chance(0.2)) return 'Save Settings';
      break;
    case 'Upgrade':
      if (level === 'free' && random.chance(0.38)) return 'Submit Upgrade';
      break;
    case 'Downgrade':
      if (level === 'paid' && random.chance(0.05)) return 'Submit Downgrade';
      break;
    default:
      break;
  }
  const [pages, weights] = level === 'free' ? [FREE_BROWSING, FREE_WEIGHTS] : [PAID_BROWSING, PAID_WEIGHTS];
  return (pages[random.weighted(weights)] as readonly [Page, number])[0];
}

/**
 * Moves the session past `page`: counts the item, logs in or out. Returns the level the user has from now on
 * (an upgrade takes effect after its Submit Upgrade event, which still carries the old level).
 */
export function afterPage(session: Session, page: Page, level: Level, random: RandomSource): Level {
  session.item += 1;
  session.remaining -= 1;
  session.previous = page;
  if (page === 'Login') session.loggedIn = true;
  if (page === 'Logout') {
    session.loggedIn = false;
    session.loggedOutPages = 1 + (random.chance(0.3) ? 1 : 0);
    session.willLogIn = random.chance(0.5);
  }
  if (page === 'Submit Upgrade') return 'paid';
  if (page === 'Submit Downgrade') return 'free';
  return level;
}

/** Seconds until the listener's next event after `page`: a song plays to its end, pages take a moment. */
export function secondsAfter(page: Page, songSeconds: number, random: RandomSource): number {
  switch (page) {
    case 'NextSong':
      return Math.max(1, Math.round(songSeconds));
    case 'Logout':
      return 30 + Math.floor(random.exponential(120));
    case 'Login':
    case 'Save Settings':
    case 'Submit Upgrade':
    case 'Submit Downgrade':
      return random.between(1, 10);
    default:
      return 1 + Math.floor(random.exponential(25));
  }
}
