-- Staging the logs: the keys are camelCase, so the JSONPaths file of [S3] LOG_JSONPATH maps them to
-- the 18 columns, in order. source_file and line_number are left out of the column list.

COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id)
FROM 's3://udacity-dend/log_data/'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
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
