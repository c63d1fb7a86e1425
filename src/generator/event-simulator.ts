/**
 * Simulates the event logs in time order, day by day, like eventsim. The timestamps of each day come first
 * (see `activity-rhythm.ts`); at each one, the session that has waited longest since it became ready emits
 * its next event, or, when no session is ready, an idle user starts a new one. So the number of sessions
 * in progress follows the daily rhythm by itself, and memory holds only the users and the open sessions.
 */
import { dailyTargets, sortedSecondsOfDay } from './activity-rhythm.js';
import type { ResolvedGenerateOptions } from './generator-options.js';
import type { PlayCatalog } from './play-catalog.js';
import { RandomSource } from './random-source.js';
import { integerText, type EventJson } from './record-formatter.js';
import { afterPage, nextPage, PAGE_REQUESTS, secondsAfter, startSession, type Page, type Session } from './session-model.js';
import { MILLISECOND_OFFSET, UserPopulation } from './user-population.js';

/** One simulated event, handed to the writer before the next is made. */
export interface SimulatedEvent {
  /** Index of the day (0 = `start`), which is the day of `ts` in UTC. */
  readonly day: number;
  readonly page: Page;
  /** User index (userId - 1) of the session, also when logged out. */
  readonly user: number;
  readonly loggedIn: boolean;
  /** For NextSong: whether the play names a song of song_data. */
  readonly matched: boolean;
  /** The level written on the event. */
  readonly level: 'free' | 'paid';
  /** The event as JSON text; the object is reused for the next event, so format it before asking for more. */
  readonly json: EventJson;
}

const DAY_SECONDS = 86_400;
const PAGE_JSON = Object.fromEntries(Object.keys(PAGE_REQUESTS).map((page) => [page, JSON.stringify(page)])) as Record<Page, string>;
const LOGGED_OUT: Pick<EventJson, 'firstName' | 'lastName' | 'gender' | 'location' | 'userAgent' | 'registration' | 'userId'> = {
  firstName: 'null',
  lastName: 'null',
  gender: 'null',
  location: 'null',
  userAgent: 'null',
  registration: 'null',
  userId: '""',
};

/** Sessions ordered by the second they become ready, ties by session id (deterministic). */
class SessionHeap {
  private readonly items: Session[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Session | undefined {
    return this.items[0];
  }

  push(session: Session): void {
    const items = this.items;
    items.push(session);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(session, items[parent] as Session)) break;
      items[i] = items[parent] as Session;
      i = parent;
    }
    items[i] = session;
  }

  pop(): Session | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right] as Session, items[left] as Session) ? right : left;
      if (!before(items[child] as Session, last)) break;
      items[i] = items[child] as Session;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function before(a: Session, b: Session): boolean {
  return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.id < b.id);
}

/** Produces the events of a whole dataset, in ts order. */
export class EventSimulator {
  /** Number of events on each day; they add up to `options.events`. */
  readonly dayTargets: readonly number[];
  readonly users: UserPopulation;
  private readonly random: RandomSource;
  private readonly heap = new SessionHeap();
  private nextSessionId = 1;
  /** Finished sessions whose objects the next sessions reuse. */
  private readonly finished: Session[] = [];
  /** Length of the song just described, which sets when its listener's next event can come. */
  private songSeconds = 0;
  private readonly json: EventJson = {
    artist: 'null',
    auth: '"Logged In"',
    firstName: 'null',
    gender: 'null',
    itemInSession: 0,
    lastName: 'null',
    length: 'null',
    level: '"free"',
    location: 'null',
    method: '"GET"',
    page: '"Home"',
    registration: 'null',
    sessionId: 0,
    song: 'null',
    status: 200,
    ts: 0,
    userAgent: 'null',
    userId: '""',
  };

  constructor(
    private readonly options: ResolvedGenerateOptions,
    private readonly catalog: PlayCatalog,
  ) {
    this.users = new UserPopulation(options.users, options.startEpochSeconds, options.quirks, RandomSource.fromSeed(options.seed, 'users'));
    this.dayTargets = dailyTargets(options.events, options.days, options.startEpochSeconds, RandomSource.fromSeed(options.seed, 'days'));
    this.random = RandomSource.fromSeed(options.seed, 'sessions');
  }

  /** Yields every event of every day, in increasing ts. */
  *events(): Generator<SimulatedEvent> {
    const slots = RandomSource.fromSeed(this.options.seed, 'seconds');
    for (let day = 0; day < this.options.days; day += 1) {
      const dayStart = this.options.startEpochSeconds + day * DAY_SECONDS;
      for (const second of sortedSecondsOfDay(dayStart, this.dayTargets[day] as number, slots)) {
        yield this.emitAt(day, second);
      }
    }
  }

  private emitAt(day: number, second: number): SimulatedEvent {
    for (;;) {
      const session = this.sessionFor(second);
      const level = this.users.level(session.user);
      const page = nextPage(session, level, this.random);
      if (page === null) {
        // The session is over (its length reached, or a visitor left): free the user and try the next one.
        this.users.setBusy(session.user, false);
        this.finished.push(session);
        continue;
      }
      const event = this.describe(day, second, session, page, level);
      const levelAfter = afterPage(session, page, level, this.random);
      if (levelAfter !== level) this.users.setLevel(session.user, levelAfter);
      session.readyAt = second + secondsAfter(page, this.songSeconds, this.random);
      this.heap.push(session);
      return event;
    }
  }

  /** The session that emits at `second`: the longest-waiting ready one, else a new one, else the earliest. */
  private sessionFor(second: number): Session {
    const top = this.heap.peek();
    if (top !== undefined && top.readyAt <= second) return this.heap.pop() as Session;
    const user = this.users.pickIdle(this.random);
    if (user < 0) return this.heap.pop() as Session;
    this.users.setBusy(user, true);
    const session = startSession(this.nextSessionId, user, second, this.random, this.finished.pop());
    this.nextSessionId += 1;
    return session;
  }

  private describe(day: number, second: number, session: Session, page: Page, level: 'free' | 'paid'): SimulatedEvent {
    const e = this.json;
    const request = PAGE_REQUESTS[page];
    let matched = false;
    this.songSeconds = 0;
    if (page === 'NextSong') {
      const play = this.catalog.choose(this.random, this.options.matchRate);
      e.artist = play.artist;
      e.song = play.song;
      e.length = play.length;
      matched = play.matched;
      this.songSeconds = play.seconds;
    } else {
      e.artist = 'null';
      e.song = 'null';
      e.length = 'null';
    }
    e.auth = session.loggedIn ? '"Logged In"' : '"Logged Out"';
    if (session.loggedIn) this.users.writeIdentity(session.user, e);
    else Object.assign(e, LOGGED_OUT);
    e.itemInSession = integerText(session.item);
    e.level = level === 'paid' ? '"paid"' : '"free"';
    e.method = request.method === 'PUT' ? '"PUT"' : '"GET"';
    e.page = PAGE_JSON[page];
    e.sessionId = integerText(session.id);
    e.status = request.status;
    e.ts = integerText(second * 1_000 + MILLISECOND_OFFSET);
    return { day, page, user: session.user, loggedIn: session.loggedIn, matched, level, json: e };
  }
}
