-- Staging the songs on a provisioned cluster (COPY reference: FROM, IAM_ROLE, REGION,
-- FORMAT AS JSON 'auto', MAXERROR; no ACCEPTINVCHARS, so invalid UTF-8 is rejected), then PG_LAST_COPY_ID() against the STL views.
-- The song keys are lowercase column names, so 'auto' maps them. --max-errors 0 gives MAXERROR 1:
-- MAXERROR n fails at n errors, and 0 or 1 both fail at the first.

COPY staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year)
FROM 's3://udacity-dend/song_data/'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 'auto'
MAXERROR 1;

SELECT COUNT(DISTINCT filename) AS files
FROM stl_load_commits
WHERE query = pg_last_copy_id();

SELECT TRIM(filename) AS source_file, line_number, TRIM(raw_line) AS raw_record,
       TRIM(colname) AS column_name, TRIM(err_reason) AS reason
FROM stl_load_errors
WHERE query = pg_last_copy_id()
ORDER BY source_file, line_number;

INSERT INTO load_errors (source_file, line_number, raw_record, error, dataset)
VALUES ($1, $2, $3, $4, $5);
