-- On Serverless (a *.redshift-serverless.amazonaws.com host) the STL views do not exist: the load
-- history is in SYS_LOAD_DETAIL and SYS_LOAD_ERROR_DETAIL, keyed by query_id = PG_LAST_COPY_ID().
-- SYS_LOAD_ERROR_DETAIL keeps no raw line, so raw_record is NULL there.

SELECT COUNT(DISTINCT file_name) AS files
FROM sys_load_detail
WHERE query_id = pg_last_copy_id();

SELECT TRIM(file_name) AS source_file, line_number, CAST(NULL AS VARCHAR) AS raw_record,
       TRIM(column_name) AS column_name, TRIM(error_message) AS reason
FROM sys_load_error_detail
WHERE query_id = pg_last_copy_id()
ORDER BY source_file, line_number;
