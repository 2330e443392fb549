\set ECHO none
-- shared by the *_parallel suites: set PostgreSQL's "run this plan in a
-- worker" setting to :'force_parallel' (on, off or regress), under its name
-- for the server's version: force_parallel_mode up to 15,
-- debug_parallel_query from 16 on.  Use: \set force_parallel on
-- then \i sql/include/force_parallel.sql
SELECT set_config(CASE WHEN current_setting('server_version_num')::integer >= 160000
					   THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END,
				  :'force_parallel', false) AS force_parallel_setting \gset
\set ECHO all
