-- Publishing on Redshift: one transaction of DELETE + INSERT per table (no ON CONFLICT on Redshift, and
-- no TRUNCATE, which would commit on its own). No COLLATE "C": Redshift compares VARCHARs by their bytes.
-- Ties that other warehouses break by file order are broken by the record's content (COPY keeps no
-- file or line). songplay_id is a hash of the play's identity, read with STRTOL from MD5's hex digits.
-- Redshift's COPY reads the whole prefix every run, so its publish is always a full one.

BEGIN;

DELETE FROM songs;

INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
  SELECT song_id, title, artist_id, year, duration,
         ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title NULLS LAST, artist_id NULLS LAST, year NULLS LAST, duration NULLS LAST) AS pick
  FROM staging_songs
) ranked
WHERE pick = 1;

DELETE FROM artists;

INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
  SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
         ROW_NUMBER() OVER (
           PARTITION BY artist_id
           ORDER BY CASE WHEN artist_latitude IS NOT NULL AND artist_longitude IS NOT NULL THEN 0 ELSE 1 END,
                    CASE WHEN artist_location IS NOT NULL AND artist_location <> '' THEN 0 ELSE 1 END,
                    artist_name NULLS LAST, artist_location NULLS LAST, artist_latitude NULLS LAST, artist_longitude NULLS LAST
         ) AS pick
  FROM staging_songs
) ranked
WHERE pick = 1;

DELETE FROM users;

INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
  SELECT user_id, first_name, last_name, gender, level,
         ROW_NUMBER() OVER (
           PARTITION BY user_id
           ORDER BY ts DESC, level DESC NULLS LAST, first_name DESC NULLS LAST, last_name DESC NULLS LAST, gender DESC NULLS LAST
         ) AS pick
  FROM staging_events
  WHERE page = 'NextSong'
    AND user_id IS NOT NULL
) ranked
WHERE pick = 1;

DELETE FROM songplays;

INSERT INTO songplays (songplay_id, start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT STRTOL(SUBSTRING(MD5(COALESCE(CAST(e.ts AS VARCHAR), '') || '|' || COALESCE(CAST(e.user_id AS VARCHAR), '') || '|' || COALESCE(CAST(e.session_id AS VARCHAR), '') || '|' || COALESCE(CAST(e.item_in_session AS VARCHAR), '') || '|' || COALESCE(CAST(REGEXP_SUBSTR(e.source_file, '[^/]*$') AS VARCHAR), '') || '|' || COALESCE(CAST(e.line_number AS VARCHAR), '')), 1, 15), 16) AS songplay_id,
       (TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond') AS start_time,
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location,
       CASE WHEN e.user_agent LIKE '"%"' THEN SUBSTRING(e.user_agent, 2, LENGTH(e.user_agent) - 2)
            ELSE e.user_agent END AS user_agent
FROM staging_events e
LEFT JOIN (
  SELECT title, artist_name, duration, song_id, artist_id
  FROM (
    SELECT title, artist_name, duration, song_id, artist_id,
           ROW_NUMBER() OVER (
             PARTITION BY title, artist_name, duration
             ORDER BY song_id, artist_id
           ) AS pick
    FROM staging_songs
  ) candidates
  WHERE pick = 1
) m ON e.song = m.title AND e.artist = m.artist_name AND e.length = m.duration
WHERE e.page = 'NextSong';

DELETE FROM time;

INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       CAST(EXTRACT(HOUR FROM start_time) AS INTEGER) AS hour,
       CAST(EXTRACT(DAY FROM start_time) AS INTEGER) AS day,
       CAST(EXTRACT(WEEK FROM start_time) AS INTEGER) AS week,
       CAST(EXTRACT(MONTH FROM start_time) AS INTEGER) AS month,
       CAST(EXTRACT(YEAR FROM start_time) AS INTEGER) AS year,
       CAST(EXTRACT(DOW FROM start_time) AS INTEGER) AS weekday
FROM (SELECT DISTINCT start_time FROM songplays) starts;

DELETE FROM user_levels;

INSERT INTO user_levels (user_id, level, valid_from, valid_to, is_current)
SELECT user_id, level, (TIMESTAMP 'epoch' + from_ts * INTERVAL '1 millisecond') AS valid_from,
       CASE WHEN to_ts IS NULL THEN NULL ELSE (TIMESTAMP 'epoch' + to_ts * INTERVAL '1 millisecond') END AS valid_to,
       CASE WHEN to_ts IS NULL THEN TRUE ELSE FALSE END AS is_current
FROM (
  SELECT user_id, level, ts AS from_ts, LEAD(ts) OVER (PARTITION BY user_id ORDER BY ts) AS to_ts
  FROM (
    SELECT user_id, ts, level, LAG(level) OVER (PARTITION BY user_id ORDER BY ts) AS previous_level
    FROM (
      SELECT user_id, ts, level,
             ROW_NUMBER() OVER (PARTITION BY user_id, ts ORDER BY level DESC NULLS LAST) AS pick
      FROM staging_events
      WHERE user_id IS NOT NULL AND level IS NOT NULL
    ) events_at_ts
    WHERE pick = 1
  ) levels_at_ts
  WHERE previous_level IS NULL OR previous_level <> level
) periods;

INSERT INTO sparkify_runs (run_id, started_at, finished_at, status, mode, song_files_new, song_files_changed, song_files_unchanged, song_files_removed, event_files_new, event_files_changed, event_files_unchanged, event_files_removed, records_read, records_rejected, songplays, sparkify_version, settings, seconds, error, details)
VALUES (0, CAST('1970-01-01 00:00:00.000' AS TIMESTAMP), CAST('1970-01-01 00:00:00.000' AS TIMESTAMP), 'succeeded', 'full-refresh', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, '', '{}', '{}', NULL, NULL);

COMMIT;
