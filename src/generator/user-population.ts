/**
 * The listeners: name, gender, metro area, browser, registration time and current level of each user, held
 * in typed arrays (a few dozen bytes a user) so that a population of a million stays small. Strings that go
 * into log lines are escaped once per vocabulary entry, not once per event.
 */
import type { RandomSource } from './random-source.js';
import { logJsonString, pythonFloat, type EventJson } from './record-formatter.js';
import { quoteUserAgent } from './text-quirks.js';
import { FIRST_NAMES, LAST_NAMES, LISTENER_METROS, USER_AGENTS } from './vocabulary-lists.js';

/** Subscription level of a user. */
export type Level = 'free' | 'paid';

/** eventsim writes every ts and registration with the same millisecond part (796 in the public sample). */
export const MILLISECOND_OFFSET = 796;
const DAY_SECONDS = 86_400;
/** Heavy listeners are more often paying: it makes paid events the majority, as in the sample. */
const PAID_SHARE_HEAVY = 0.7;
const PAID_SHARE_OTHERS = 0.15;
/** How much more often the most active users start sessions than the least active. */
const ACTIVITY_POWER = 2.2;

/** Every user of one simulation. User `u` has userId `u + 1`. */
export class UserPopulation {
  private readonly gender: Uint8Array;
  private readonly firstName: Uint16Array;
  private readonly lastName: Uint16Array;
  private readonly metro: Uint16Array;
  private readonly agent: Uint8Array;
  private readonly registrationMs: Float64Array;
  private readonly paid: Uint8Array;
  private readonly busy: Uint8Array;
  /** JSON text of each user's registration, made on first use (formatting floats is not free). */
  private readonly registrationJson: (string | undefined)[] = [];
  private readonly json: {
    readonly firstNames: readonly [readonly string[], readonly string[]];
    readonly lastNames: readonly string[];
    readonly metros: readonly string[];
    readonly agents: readonly string[];
  };

  constructor(
    readonly size: number,
    startEpochSeconds: number,
    private readonly quirks: boolean,
    random: RandomSource,
  ) {
    this.gender = new Uint8Array(size);
    this.firstName = new Uint16Array(size);
    this.lastName = new Uint16Array(size);
    this.metro = new Uint16Array(size);
    this.agent = new Uint8Array(size);
    this.registrationMs = new Float64Array(size);
    this.paid = new Uint8Array(size);
    this.busy = new Uint8Array(size);
    const agentWeights = USER_AGENTS.map((a) => a.weight);
    for (let u = 0; u < size; u += 1) {
      // eventsim's sample has more women than men (5,482 against 2,288 events).
      const gender = random.chance(0.62) ? 0 : 1;
      this.gender[u] = gender;
      this.firstName[u] = random.int((gender === 0 ? FIRST_NAMES.F : FIRST_NAMES.M).length);
      this.lastName[u] = random.int(LAST_NAMES.length);
      this.metro[u] = random.int(LISTENER_METROS.length);
      this.agent[u] = random.weighted(agentWeights);
      // Registered an hour to a few months before the first day: registration always precedes the events.
      const before = 3_600 + Math.floor(random.exponential(45 * DAY_SECONDS));
      this.registrationMs[u] = (startEpochSeconds - Math.min(before, 1_000 * DAY_SECONDS)) * 1_000 + MILLISECOND_OFFSET;
      const heavy = u < size / 5;
      this.paid[u] = random.chance(heavy ? PAID_SHARE_HEAVY : PAID_SHARE_OTHERS) ? 1 : 0;
    }
    const escapeText = (text: string): string => logJsonString(text, quirks);
    this.json = {
      firstNames: [FIRST_NAMES.F.map(escapeText), FIRST_NAMES.M.map(escapeText)],
      lastNames: LAST_NAMES.map(escapeText),
      metros: LISTENER_METROS.map(escapeText),
      agents: USER_AGENTS.map((a) => escapeText(quirks ? quoteUserAgent(a.agent) : a.agent)),
    };
  }

  /**
   * An idle user to start a session, the active ones more often; -1 when every user is in a session.
   * Low indexes are the heavy listeners (see `ACTIVITY_POWER`).
   */
  pickIdle(random: RandomSource): number {
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const u = random.skewedIndex(this.size, ACTIVITY_POWER);
      if (this.busy[u] === 0) return u;
    }
    // Almost everyone is busy: scan from a random point so the choice stays spread out.
    const from = random.int(this.size);
    for (let i = 0; i < this.size; i += 1) {
      const u = (from + i) % this.size;
      if (this.busy[u] === 0) return u;
    }
    return -1;
  }

  setBusy(u: number, busy: boolean): void {
    this.busy[u] = busy ? 1 : 0;
  }

  level(u: number): Level {
    return this.paid[u] === 1 ? 'paid' : 'free';
  }

  setLevel(u: number, level: Level): void {
    this.paid[u] = level === 'paid' ? 1 : 0;
  }

  /** Writes the JSON text of user `u`'s identity fields (as when logged in) into an event. */
  writeIdentity(u: number, e: EventJson): void {
    const gender = this.gender[u] as 0 | 1;
    const ms = this.registrationMs[u] as number;
    e.firstName = this.json.firstNames[gender][this.firstName[u] as number] as string;
    e.lastName = this.json.lastNames[this.lastName[u] as number] as string;
    e.gender = gender === 0 ? '"F"' : '"M"';
    e.location = this.json.metros[this.metro[u] as number] as string;
    e.userAgent = this.json.agents[this.agent[u] as number] as string;
    let registration = this.registrationJson[u];
    if (registration === undefined) {
      // The float `.0` of eventsim's registration is one of the quirks.
      registration = this.quirks ? pythonFloat(ms) : String(ms);
      this.registrationJson[u] = registration;
    }
    e.registration = registration;
    e.userId = `"${u + 1}"`;
  }
}
