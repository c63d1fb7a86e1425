/**
 * Devices, browsers and operating systems, from the userAgent strings of the plays, parsed by bowser (a
 * maintained, MIT-licensed parser; ua-parser-js 2.x is AGPL).
 */
import Bowser from 'bowser';

/** Plays and listeners of one userAgent string, as the named query `user_agents` returns them. */
export interface UserAgentCount {
  readonly userAgent: string;
  readonly plays: number;
  readonly listeners: number;
}

/** Plays per name in each of the three groupings, largest first. */
export interface UserAgentSummary {
  readonly devices: readonly NameCount[];
  readonly browsers: readonly NameCount[];
  readonly systems: readonly NameCount[];
}

/** A name (a browser, for example) and the plays made with it. */
export interface NameCount {
  readonly name: string;
  readonly plays: number;
}

/** Groups `counts` by device type, browser and operating system; unknown values are named "unknown". */
export function summarizeUserAgents(counts: readonly UserAgentCount[]): UserAgentSummary {
  const devices = new Map<string, number>();
  const browsers = new Map<string, number>();
  const systems = new Map<string, number>();
  const add = (map: Map<string, number>, name: string, plays: number) =>
    map.set(name || 'unknown', (map.get(name || 'unknown') ?? 0) + plays);
  for (const { userAgent, plays } of counts) {
    const parser = Bowser.getParser(userAgent);
    add(devices, parser.getPlatformType(), plays);
    add(browsers, parser.getBrowserName(), plays);
    add(systems, parser.getOSName(), plays);
  }
  return { devices: ranked(devices), browsers: ranked(browsers), systems: ranked(systems) };
}

function ranked(map: Map<string, number>): NameCount[] {
  return [...map.entries()]
    .map(([name, plays]) => ({ name, plays }))
    .sort((a, b) => b.plays - a.plays || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
