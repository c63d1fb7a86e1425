/**
 * Checks the independent reference computation against the figures DATA.md gives for the public sample,
 * so that tests comparing generated data (and the pipeline) with it rest on a verified base.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { computeReferenceStar } from '../support/reference-star.js';

const SAMPLE = fileURLToPath(new URL('../../../shared/data/sparkify-sample', import.meta.url));
const present = existsSync(SAMPLE);

describe.skipIf(!present)(
  present
    ? 'reference star on the public sample'
    : 'reference star on the public sample (SKIPPED: the shared sample ../shared/data/sparkify-sample is absent)',
  () => {
    it('gives the figures of DATA.md', async () => {
      const star = await computeReferenceStar(SAMPLE);
      expect({
        stagingEvents: star.stagingEvents,
        nextSongEvents: star.nextSongEvents,
        songplays: star.songplays,
        matchedSongplays: star.matchedSongplays,
        users: star.users,
        paidUsers: star.paidUsers,
        freeUsers: star.freeUsers,
        time: star.time,
        songs: star.songs,
        artists: star.artists,
        rejected: star.rejectedEvents + star.rejectedSongs,
      }).toEqual({
        stagingEvents: 8_056,
        nextSongEvents: 6_820,
        songplays: 6_820,
        matchedSongplays: 1,
        users: 96,
        paidUsers: 22,
        freeUsers: 74,
        time: 6_813,
        songs: 71,
        artists: 69,
        rejected: 0,
      });
      expect(star.stagingSongs).toBe(71);
    });
  },
);
