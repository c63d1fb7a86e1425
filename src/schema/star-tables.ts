/**
 * The star schema for the analytics team: the fact `songplays` and the dimensions `users`, `songs`,
 * `artists` and `time`. Names and columns are part of the product's interface.
 */
import type { TableSpec } from './table-spec.js';

/** One row per NextSong event. */
export const SONGPLAYS: TableSpec = {
  name: 'songplays',
  role: 'fact',
  columns: [
    { name: 'songplay_id', type: 'bigint', notNull: true },
    { name: 'start_time', type: 'timestamp', notNull: true },
    { name: 'user_id', type: 'integer' },
    { name: 'level', type: 'text', maxLength: 16 },
    { name: 'song_id', type: 'text', maxLength: 32 },
    { name: 'artist_id', type: 'text', maxLength: 32 },
    { name: 'session_id', type: 'integer' },
    { name: 'location', type: 'text', maxLength: 256 },
    { name: 'user_agent', type: 'text', maxLength: 512 },
  ],
  primaryKey: ['songplay_id'],
  // Not song_id: most plays match no song, and their NULL song_ids would all land on one slice.
  distributionKey: 'user_id',
  sortKey: ['start_time'],
};

/** One row per user seen in a NextSong event, with the level of their latest one. */
export const USERS: TableSpec = {
  name: 'users',
  role: 'dimension',
  columns: [
    { name: 'user_id', type: 'integer', notNull: true },
    { name: 'first_name', type: 'text', maxLength: 256 },
    { name: 'last_name', type: 'text', maxLength: 256 },
    { name: 'gender', type: 'text', maxLength: 16 },
    { name: 'level', type: 'text', maxLength: 16 },
  ],
  primaryKey: ['user_id'],
  sortKey: ['user_id'],
};

/** One row per song_id. */
export const SONGS: TableSpec = {
  name: 'songs',
  role: 'dimension',
  columns: [
    { name: 'song_id', type: 'text', maxLength: 32, notNull: true },
    { name: 'title', type: 'text', maxLength: 512 },
    { name: 'artist_id', type: 'text', maxLength: 32 },
    { name: 'year', type: 'integer' },
    { name: 'duration', type: 'double' },
  ],
  primaryKey: ['song_id'],
  sortKey: ['song_id'],
};

/** One row per artist_id. */
export const ARTISTS: TableSpec = {
  name: 'artists',
  role: 'dimension',
  columns: [
    { name: 'artist_id', type: 'text', maxLength: 32, notNull: true },
    { name: 'name', type: 'text', maxLength: 512 },
    { name: 'location', type: 'text', maxLength: 512 },
    { name: 'latitude', type: 'double' },
    { name: 'longitude', type: 'double' },
  ],
  primaryKey: ['artist_id'],
  sortKey: ['artist_id'],
};

/** One row per distinct songplays.start_time, broken into calendar units (ISO week, weekday 0 = Sunday). */
export const TIME: TableSpec = {
  name: 'time',
  role: 'dimension',
  columns: [
    { name: 'start_time', type: 'timestamp', notNull: true },
    { name: 'hour', type: 'integer' },
    { name: 'day', type: 'integer' },
    { name: 'week', type: 'integer' },
    { name: 'month', type: 'integer' },
    { name: 'year', type: 'integer' },
    { name: 'weekday', type: 'integer' },
  ],
  primaryKey: ['start_time'],
  sortKey: ['start_time'],
};

/**
 * Each user's level over time (slowly changing, type 2): one row per period in which the user's events
 * carried one level. Periods come from the events' own timestamps (every event with a level, not only
 * NextSong); valid_to is the next period's valid_from (exclusive), NULL on the one current row per user.
 */
export const USER_LEVELS: TableSpec = {
  name: 'user_levels',
  role: 'dimension',
  columns: [
    { name: 'user_id', type: 'integer', notNull: true },
    { name: 'level', type: 'text', maxLength: 16, notNull: true },
    { name: 'valid_from', type: 'timestamp', notNull: true },
    { name: 'valid_to', type: 'timestamp' },
    { name: 'is_current', type: 'boolean', notNull: true },
  ],
  primaryKey: ['user_id', 'valid_from'],
  sortKey: ['user_id', 'valid_from'],
};

/** The star tables in the order they are published. */
export const STAR_TABLES: readonly TableSpec[] = [SONGS, ARTISTS, USERS, SONGPLAYS, TIME, USER_LEVELS];
