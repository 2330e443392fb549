-- csmetrics 1.0 -> 1.1 (ALTER EXTENSION csmetrics UPDATE)
--
-- Every object 1.1 adds to 1.0 is created here as in the master script
-- src/sql/csmetrics.sql; sql/upgrade.sql checks that an updated 1.0 and a
-- fresh install have the same objects.  The same rules as the install
-- script apply (doc/security.md): built-ins qualified with pg_catalog, our
-- own objects with @extschema@, no IF NOT EXISTS; CREATE OR REPLACE only to
-- redefine a function that is already a member of the extension.

\echo Use "ALTER EXTENSION csmetrics UPDATE TO '1.1'" to load this file. \quit

--------------------------------------------------------------------------
-- Goals: goal_met no longer lets an operator created in the extension's
-- schema before the install (such as =(anyenum, text)) be bound into its
-- body; the goals are readable by every user.
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION goal_met(metric text, value double precision) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	BEGIN ATOMIC
		SELECT CASE WHEN b.band OPERATOR(pg_catalog.=) 'within'::@extschema@.goal_band THEN true
					WHEN b.band OPERATOR(pg_catalog.=) 'above'::@extschema@.goal_band THEN g.higher_is_better
					ELSE NOT g.higher_is_better END
		FROM @extschema@.metric_goal AS g,
			 LATERAL (SELECT @extschema@.goal_band(goal_met.metric, goal_met.value) AS band) AS b
		WHERE g.metric OPERATOR(pg_catalog.=) goal_met.metric;
	END;

GRANT SELECT ON metric_goals, metric_goal TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON metric_goals TO @extowner@;

--------------------------------------------------------------------------
-- The subscription ledger: subscription_history (per customer, the days
-- on which its normalised MRR or quantity changes), the aggregates that
-- build and merge it, and the revenue reports read from it
--------------------------------------------------------------------------

CREATE TYPE subscription_history;

CREATE FUNCTION subscription_history_in(cstring) RETURNS subscription_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subscription_history_out(subscription_history) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subscription_history_recv(internal) RETURNS subscription_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION subscription_history_send(subscription_history) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION subscription_history_in(cstring) IS 'subscription_history text input';
COMMENT ON FUNCTION subscription_history_out(subscription_history) IS 'subscription_history text output';
COMMENT ON FUNCTION subscription_history_recv(internal) IS 'subscription_history binary input';
COMMENT ON FUNCTION subscription_history_send(subscription_history) IS 'subscription_history binary output';

CREATE TYPE subscription_history (
	INPUT = subscription_history_in,
	OUTPUT = subscription_history_out,
	RECEIVE = subscription_history_recv,
	SEND = subscription_history_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE subscription_history IS 'subscription ledger: per customer, the days on which its MRR or quantity changes';

-- aggregate support (not meant to be called directly)
CREATE FUNCTION subscription_history_add(subscription_history, bigint, date, date, numeric, interval)
	RETURNS subscription_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION subscription_history_add(subscription_history, bigint, date, date, numeric, interval, numeric)
	RETURNS subscription_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION subscription_history_combine(subscription_history, subscription_history)
	RETURNS subscription_history
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION subscription_history_add(subscription_history, bigint, date, date, numeric, interval) IS 'subscription_history_agg transition function';
COMMENT ON FUNCTION subscription_history_add(subscription_history, bigint, date, date, numeric, interval, numeric) IS 'subscription_history_agg transition function (with quantity)';
COMMENT ON FUNCTION subscription_history_combine(subscription_history, subscription_history) IS 'subscription_history_agg combine function';

CREATE AGGREGATE subscription_history_agg(customer_id bigint, started_on date, ended_on date,
										  amount numeric, billing_period interval) (
	SFUNC = subscription_history_add, STYPE = subscription_history,
	COMBINEFUNC = subscription_history_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE subscription_history_agg(customer_id bigint, started_on date, ended_on date,
										  amount numeric, billing_period interval, quantity numeric) (
	SFUNC = subscription_history_add, STYPE = subscription_history,
	COMBINEFUNC = subscription_history_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE rollup(subscription_history) (
	SFUNC = subscription_history_combine, STYPE = subscription_history,
	COMBINEFUNC = subscription_history_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE subscription_history_agg(bigint, date, date, numeric, interval) IS 'subscription ledger of subscriptions (customer, started_on, ended_on, amount, billing period), quantity 1';
COMMENT ON AGGREGATE subscription_history_agg(bigint, date, date, numeric, interval, numeric) IS 'subscription ledger of subscriptions (customer, started_on, ended_on, amount, billing period, quantity)';
COMMENT ON AGGREGATE rollup(subscription_history) IS 'merge subscription ledgers, customer by customer';

-- one day
CREATE FUNCTION mrr_at(history subscription_history, day date) RETURNS numeric
	AS 'MODULE_PATHNAME', 'subscription_history_mrr_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arr_at(history subscription_history, day date) RETURNS numeric
	AS 'MODULE_PATHNAME', 'subscription_history_arr_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION paying_customers_at(history subscription_history, day date) RETURNS bigint
	AS 'MODULE_PATHNAME', 'subscription_history_paying_customers_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION seats_at(history subscription_history, day date) RETURNS numeric
	AS 'MODULE_PATHNAME', 'subscription_history_seats_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arpa_at(history subscription_history, day date) RETURNS numeric
	AS 'MODULE_PATHNAME', 'subscription_history_arpa_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customers(subscription_history) RETURNS bigint
	AS 'MODULE_PATHNAME', 'subscription_history_customers' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mrr_at(subscription_history, date) IS 'MRR of the subscriptions active on the day (started_on <= day < ended_on); on a future day, the committed MRR';
COMMENT ON FUNCTION arr_at(subscription_history, date) IS 'ARR on the day: 12 times mrr_at';
COMMENT ON FUNCTION paying_customers_at(subscription_history, date) IS 'customers with MRR on the day';
COMMENT ON FUNCTION seats_at(subscription_history, date) IS 'quantity (seats) of the subscriptions active on the day';
COMMENT ON FUNCTION arpa_at(subscription_history, date) IS 'average revenue per account on the day: MRR / paying customers, NULL without any';
COMMENT ON FUNCTION customers(subscription_history) IS 'number of customers in a subscription ledger';

-- movements between days
CREATE FUNCTION mrr_bridge(history subscription_history, from_day date, to_day date) RETURNS mrr_bridge
	AS 'MODULE_PATHNAME', 'subscription_history_mrr_bridge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mrr_movements(history subscription_history, grain text, from_day date, to_day date,
	OUT period date, OUT starting_mrr numeric, OUT new_mrr numeric, OUT expansion_mrr numeric,
	OUT reactivation_mrr numeric, OUT contraction_mrr numeric, OUT churned_mrr numeric,
	OUT ending_mrr numeric, OUT customers_at_start bigint, OUT new_customers bigint,
	OUT churned_customers bigint, OUT customers_at_end bigint, OUT bridge mrr_bridge)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'subscription_history_mrr_movements' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 60;
COMMENT ON FUNCTION mrr_bridge(subscription_history, date, date) IS 'MRR bridge of the movements taking effect on the days from from_day up to, not including, to_day';
COMMENT ON FUNCTION mrr_movements(subscription_history, text, date, date) IS 'MRR movement chart: one bridge per period of the grain overlapping [from_day, to_day)';

-- the vendors' named metrics of an MRR bridge
CREATE FUNCTION gross_mrr_churn_rate(mrr_bridge) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mrr_bridge_gross_mrr_churn_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION net_mrr_churn_rate(mrr_bridge) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mrr_bridge_net_mrr_churn_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION arpa(mrr_bridge) RETURNS numeric
	AS 'MODULE_PATHNAME', 'mrr_bridge_arpa' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION asp(mrr_bridge) RETURNS numeric
	AS 'MODULE_PATHNAME', 'mrr_bridge_asp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gross_mrr_churn_rate(mrr_bridge) IS 'gross MRR churn in percent: (contraction + churned) / starting * 100, NULL when starting MRR is 0';
COMMENT ON FUNCTION net_mrr_churn_rate(mrr_bridge) IS 'net MRR churn in percent: (contraction + churned - expansion - reactivation) / starting * 100, negative when gains exceed losses';
COMMENT ON FUNCTION arpa(mrr_bridge) IS 'average revenue per account: ending MRR / customers at the end, NULL without any';
COMMENT ON FUNCTION asp(mrr_bridge) IS 'average sale price: new MRR / new customers, NULL without any';

-- seats between days
CREATE FUNCTION seat_bridge(history subscription_history, from_day date, to_day date,
	OUT seats_at_start numeric, OUT new_seats numeric, OUT expansion_seats numeric,
	OUT contraction_seats numeric, OUT churned_seats numeric, OUT seats_at_end numeric,
	OUT seat_churn_rate double precision)
	RETURNS record
	AS 'MODULE_PATHNAME', 'subscription_history_seat_bridge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION seat_bridge(subscription_history, date, date) IS 'seat movements between the days before from_day and to_day: new, expansion, contraction and churned seats, and the seat churn rate in percent';

-- per customer and period
CREATE FUNCTION customer_mrr(history subscription_history, grain text, from_day date, to_day date,
	OUT customer_id bigint, OUT period date, OUT mrr numeric, OUT seats numeric)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'subscription_history_customer_mrr' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	ROWS 1000;
COMMENT ON FUNCTION customer_mrr(subscription_history, text, date, date) IS 'each customer''s MRR and seats on the last day of each period of the grain overlapping [from_day, to_day), where either is positive';

-- churn by the vendors' definitions ('chartmogul' = 'profitwell' = the
-- one-argument churn_rate, 'stripe')
CREATE FUNCTION churn_rate(customer_flow, definition text) RETURNS double precision
	AS 'MODULE_PATHNAME', 'customer_flow_churn_rate_by' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION retention_rate(customer_flow, definition text) RETURNS double precision
	AS 'MODULE_PATHNAME', 'customer_flow_retention_rate_by' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_rate(customer_flow, text) IS 'churn in percent by a vendor definition: chartmogul or profitwell (churned / at start), stripe ((churned + transient) / (at start + new + transient))';
COMMENT ON FUNCTION retention_rate(customer_flow, text) IS '100 minus churn_rate by the same definition';
