\set ECHO none
-- shared by the *_parallel suites: make parallel plans free and let two
-- workers run them, then force the plan into a worker (force_parallel.sql,
-- which a suite may \i again with off or regress).  Use:
-- \i sql/include/parallel_plans.sql (force_parallel.sql, last, turns the echo
-- back on)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
\set force_parallel on
\i sql/include/force_parallel.sql
