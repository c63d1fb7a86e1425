-- What a run sends first on Redshift, for the classic dwh.cfg (test/redshift/fixtures/dwh.cfg).
-- Written by hand from the Redshift CREATE TABLE reference: sized VARCHARs, IDENTITY(seed, step),
-- DISTSTYLE / DISTKEY / SORTKEY after the column list, BACKUP NO for tables rebuilt on every run.
-- No ENCODE anywhere: the cluster picks encodings (ENCODE AUTO).
-- Staging: source_file and line_number are nullable (COPY cannot fill them); registration is
-- DOUBLE PRECISION (the logs write it as 1540919166796.0); user_id stays INTEGER (COPY loads the
-- logged-out "" as NULL into an INT column).

DROP TABLE IF EXISTS staging_events;

DROP TABLE IF EXISTS staging_songs;

DROP TABLE IF EXISTS load_errors;

CREATE TABLE staging_events (
  artist VARCHAR(512),
  auth VARCHAR(64),
  first_name VARCHAR(64),
  gender VARCHAR(64),
  item_in_session INTEGER,
  last_name VARCHAR(64),
  length DOUBLE PRECISION,
  level VARCHAR(64),
  location VARCHAR(256),
  method VARCHAR(64),
  page VARCHAR(64),
  registration DOUBLE PRECISION,
  session_id INTEGER,
  song VARCHAR(512),
  status INTEGER,
  ts BIGINT,
  user_agent VARCHAR(512),
  user_id INTEGER,
  source_file VARCHAR(1024),
  line_number INTEGER
)
BACKUP NO;

CREATE TABLE staging_songs (
  num_songs INTEGER,
  artist_id VARCHAR(32),
  artist_latitude DOUBLE PRECISION,
  artist_longitude DOUBLE PRECISION,
  artist_location VARCHAR(512),
  artist_name VARCHAR(512),
  song_id VARCHAR(32),
  title VARCHAR(512),
  duration DOUBLE PRECISION,
  year INTEGER,
  source_file VARCHAR(1024),
  line_number INTEGER
)
BACKUP NO;

CREATE TABLE load_errors (
  source_file VARCHAR(1024) NOT NULL,
  line_number INTEGER,
  raw_record VARCHAR(65535),
  error VARCHAR(1024) NOT NULL,
  dataset VARCHAR(16) NOT NULL
);

CREATE TABLE IF NOT EXISTS songs (
  song_id VARCHAR(32) NOT NULL,
  title VARCHAR(512),
  artist_id VARCHAR(32),
  year INTEGER,
  duration DOUBLE PRECISION,
  PRIMARY KEY (song_id)
)
DISTSTYLE ALL
SORTKEY (song_id);

CREATE TABLE IF NOT EXISTS artists (
  artist_id VARCHAR(32) NOT NULL,
  name VARCHAR(512),
  location VARCHAR(512),
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  PRIMARY KEY (artist_id)
)
DISTSTYLE ALL
SORTKEY (artist_id);

CREATE TABLE IF NOT EXISTS users (
  user_id INTEGER NOT NULL,
  first_name VARCHAR(256),
  last_name VARCHAR(256),
  gender VARCHAR(16),
  level VARCHAR(16),
  PRIMARY KEY (user_id)
)
DISTSTYLE ALL
SORTKEY (user_id);

CREATE TABLE IF NOT EXISTS songplays (
  songplay_id BIGINT NOT NULL,
  start_time TIMESTAMP NOT NULL,
  user_id INTEGER,
  level VARCHAR(16),
  song_id VARCHAR(32),
  artist_id VARCHAR(32),
  session_id INTEGER,
  location VARCHAR(256),
  user_agent VARCHAR(512),
  PRIMARY KEY (songplay_id)
)
DISTSTYLE KEY
DISTKEY (user_id)
SORTKEY (start_time);

CREATE TABLE IF NOT EXISTS time (
  start_time TIMESTAMP NOT NULL,
  hour INTEGER,
  day INTEGER,
  week INTEGER,
  month INTEGER,
  year INTEGER,
  weekday INTEGER,
  PRIMARY KEY (start_time)
)
DISTSTYLE ALL
SORTKEY (start_time);

CREATE TABLE IF NOT EXISTS user_levels (
  user_id INTEGER NOT NULL,
  level VARCHAR(16) NOT NULL,
  valid_from TIMESTAMP NOT NULL,
  valid_to TIMESTAMP,
  is_current BOOLEAN NOT NULL,
  PRIMARY KEY (user_id, valid_from)
)
DISTSTYLE ALL
SORTKEY (user_id, valid_from);

CREATE TABLE IF NOT EXISTS check_failures (
  check_name VARCHAR(256) NOT NULL,
  severity VARCHAR(8) NOT NULL,
  failing_key VARCHAR(1024),
  row_json VARCHAR(65535)
);

CREATE TABLE IF NOT EXISTS sparkify_files (
  source_file VARCHAR(1024) NOT NULL,
  dataset VARCHAR(16) NOT NULL,
  size BIGINT,
  change_token VARCHAR(256) NOT NULL,
  records_read BIGINT NOT NULL,
  records_staged BIGINT NOT NULL,
  records_rejected BIGINT NOT NULL,
  run_id BIGINT NOT NULL,
  loaded_at TIMESTAMP NOT NULL,
  PRIMARY KEY (source_file)
)
SORTKEY (source_file);

CREATE TABLE IF NOT EXISTS sparkify_runs (
  run_id BIGINT NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP,
  status VARCHAR(16) NOT NULL,
  mode VARCHAR(16) NOT NULL,
  song_files_new INTEGER,
  song_files_changed INTEGER,
  song_files_unchanged INTEGER,
  song_files_removed INTEGER,
  event_files_new INTEGER,
  event_files_changed INTEGER,
  event_files_unchanged INTEGER,
  event_files_removed INTEGER,
  records_read BIGINT,
  records_rejected BIGINT,
  songplays BIGINT,
  sparkify_version VARCHAR(32),
  settings VARCHAR(4096),
  seconds VARCHAR(1024),
  error VARCHAR(1024),
  details VARCHAR(65535),
  PRIMARY KEY (run_id)
)
SORTKEY (run_id);

-- The ledger left by earlier staged runs no longer describes staging: emptied.
DELETE FROM sparkify_files;
