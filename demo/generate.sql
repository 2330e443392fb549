-- csmetrics demo data generator
--
-- Plain PostgreSQL 15 (no extension needed).  Creates schema "demo" with a
-- deterministic, realistic-looking B2B SaaS data set covering
-- 2023-01-01 .. 2025-12-31 (about 2,000 accounts).  See demo/README.md.
--
--   psql -v ON_ERROR_STOP=1 -f demo/generate.sql
--
-- Determinism: setseed(0.42) is called once below and afterwards only
-- random() is used.  Every statement that calls random() does so over an
-- explicitly ordered input (PL/pgSQL loops over ORDER BY queries, or
-- "SELECT random() ... FROM (SELECT ... ORDER BY ...) s" where the ORDER BY
-- keeps the subquery from being flattened), so the sequence of random()
-- calls, and hence the data, is the same on every run.  Dates never use
-- day-of-month arithmetic: month steps are always start + interval '1 month' * k.
--
-- Story: sign-ups follow marketing spend, which peaks in Q1 and Q3.  Each
-- account has a latent health (standard normal, a bit higher for enterprise)
-- that raises NPS, CSAT and usage and lowers tickets and churn.  In 2024 Q3 a
-- product outage hits: tickets spike, CSAT and NPS drop, churn spikes, with a
-- smaller after-effect in 2024 Q4.

SET client_min_messages = warning;

BEGIN;

SELECT setseed(0.42);

DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

-- ---------------------------------------------------------------------------
-- helpers (session-temporary, never left in the demo schema)
-- ---------------------------------------------------------------------------

-- standard normal deviate (Box-Muller)
CREATE OR REPLACE FUNCTION pg_temp.rnorm() RETURNS double precision
LANGUAGE sql VOLATILE AS
$$ SELECT sqrt(-2.0 * ln(1.0 - random())) * cos(2.0 * pi() * random()) $$;

-- Poisson deviate (Knuth); consumes no random() when lambda <= 0
CREATE OR REPLACE FUNCTION pg_temp.rpois(lambda double precision) RETURNS int
LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    l double precision;
    p double precision := 1.0;
    k int := 0;
BEGIN
    IF lambda IS NULL OR lambda <= 0 THEN
        RETURN 0;
    END IF;
    l := exp(-lambda);
    LOOP
        p := p * random();
        EXIT WHEN p <= l;
        k := k + 1;
    END LOOP;
    RETURN k;
END
$$;

-- how hard the 2024 Q3 outage weighs on a given day: 1 in Q3, 0.3 in Q4, else 0
CREATE OR REPLACE FUNCTION pg_temp.outage(d date) RETURNS double precision
LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN d >= date '2024-07-01' AND d < date '2024-10-01' THEN 1.0
               WHEN d >= date '2024-10-01' AND d < date '2025-01-01' THEN 0.3
               ELSE 0.0 END::double precision $$;

-- ---------------------------------------------------------------------------
-- tables
-- ---------------------------------------------------------------------------

CREATE TABLE demo.accounts (
    account_id       int PRIMARY KEY,
    name             text NOT NULL,
    segment          text NOT NULL CHECK (segment IN ('smb', 'mid', 'enterprise')),
    signed_up_on     date NOT NULL,
    acquisition_cost numeric(12,2) NOT NULL
);

CREATE TABLE demo.subscriptions (
    subscription_id int PRIMARY KEY,
    account_id      int NOT NULL REFERENCES demo.accounts,
    plan            text NOT NULL,
    billing_period  interval NOT NULL CHECK (billing_period IN ('1 month', '1 year')),
    amount          numeric(12,2) NOT NULL CHECK (amount > 0),   -- per billing period
    started_on      date NOT NULL,
    ended_on        date,                                         -- NULL while active
    CHECK (ended_on > started_on)
);

CREATE TABLE demo.customer_months (
    account_id int NOT NULL REFERENCES demo.accounts,
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    mrr        numeric(12,2) NOT NULL CHECK (mrr >= 0),
    PRIMARY KEY (account_id, month)
);

CREATE TABLE demo.nps_answers (
    answer_id   int PRIMARY KEY,
    account_id  int NOT NULL REFERENCES demo.accounts,
    answered_at timestamptz NOT NULL,
    score       smallint NOT NULL CHECK (score BETWEEN 0 AND 10)
);

CREATE TABLE demo.tickets (
    ticket_id           int PRIMARY KEY,
    account_id          int NOT NULL REFERENCES demo.accounts,
    opened_at           timestamptz NOT NULL,
    contacts_to_resolve int NOT NULL CHECK (contacts_to_resolve >= 1),
    csat                smallint CHECK (csat BETWEEN 1 AND 5),
    ces                 smallint CHECK (ces BETWEEN 1 AND 7)
);

CREATE TABLE demo.activity (
    account_id   int NOT NULL REFERENCES demo.accounts,
    day          date NOT NULL,            -- Monday of the week
    active_users int NOT NULL CHECK (active_users >= 0),
    PRIMARY KEY (account_id, day)
);

CREATE TABLE demo.trials (
    trial_id   int PRIMARY KEY,
    started_on date NOT NULL,
    converted  boolean NOT NULL
);

CREATE TABLE demo.marketing_spend (
    month date PRIMARY KEY CHECK (extract(day FROM month) = 1),
    spend numeric(12,2) NOT NULL
);

-- ---------------------------------------------------------------------------
-- 1. marketing spend -> trials -> converted trials (= new accounts)
-- ---------------------------------------------------------------------------

CREATE TEMP TABLE gen_trials (
    seq          int PRIMARY KEY,
    started_on   date NOT NULL,
    converted    boolean NOT NULL,
    signed_up_on date
) ON COMMIT DROP;

DO $$
DECLARE
    m       int;
    mstart  date;
    mdays   int;
    seas    double precision;
    spend   numeric;
    ntrials int;
    pconv   double precision;
    i       int;
    seq     int := 0;
    t_start date;
    conv    boolean;
    signup  date;
BEGIN
    FOR m IN 0..35 LOOP
        mstart := (date '2023-01-01' + interval '1 month' * m)::date;
        mdays  := (mstart + interval '1 month')::date - mstart;
        -- campaigns in Q1 and Q3, quiet Q2/Q4, December quietest
        seas := CASE extract(quarter FROM mstart)
                    WHEN 1 THEN 1.25 WHEN 2 THEN 0.85 WHEN 3 THEN 1.20 ELSE 0.80 END;
        IF extract(month FROM mstart) = 12 THEN
            seas := seas * 0.75;
        END IF;
        spend := round((48000.0 * (1 + 0.015 * m) * seas
                        * (1 + 0.05 * pg_temp.rnorm()))::numeric, 2);
        INSERT INTO demo.marketing_spend VALUES (mstart, spend);

        ntrials := greatest(1, round(spend / 190.0 * (1 + 0.07 * pg_temp.rnorm()))::int);
        -- conversion improves slowly; the outage hurts it
        pconv := (0.165 + 0.012 * (m / 12)) * (1 - 0.25 * pg_temp.outage(mstart));
        FOR i IN 1..ntrials LOOP
            seq := seq + 1;
            t_start := mstart + floor(random() * mdays)::int;
            conv := random() < pconv;
            signup := NULL;
            IF conv THEN
                -- 14-day trial; most convert near its end, some early, some late
                signup := t_start + greatest(1, round(13 + 5 * pg_temp.rnorm())::int);
                IF signup > date '2025-12-31' THEN
                    conv := false;          -- not converted within the data window
                    signup := NULL;
                END IF;
            END IF;
            INSERT INTO gen_trials VALUES (seq, t_start, conv, signup);
        END LOOP;
    END LOOP;
END
$$;

INSERT INTO demo.trials (trial_id, started_on, converted)
SELECT row_number() OVER (ORDER BY started_on, seq), started_on, converted
FROM gen_trials
ORDER BY started_on, seq;

-- the day each converted trial became a paying account (trial_conversion_agg)
CREATE TABLE demo.trial_conversions (
    trial_id     int PRIMARY KEY REFERENCES demo.trials,
    converted_on date NOT NULL
);
INSERT INTO demo.trial_conversions (trial_id, converted_on)
SELECT trial_id, signed_up_on
FROM (SELECT row_number() OVER (ORDER BY started_on, seq) AS trial_id, converted, signed_up_on
      FROM gen_trials) t
WHERE converted;

-- ---------------------------------------------------------------------------
-- 2. accounts: segment, latent health, name, acquisition cost
-- ---------------------------------------------------------------------------

CREATE TEMP TABLE gen_accounts (
    account_id   int PRIMARY KEY,
    signed_up_on date NOT NULL,
    segment      text NOT NULL,
    health       double precision NOT NULL,
    w1 int, w2 int, w3 int,                -- name word picks
    cost_noise   double precision NOT NULL
) ON COMMIT DROP;

INSERT INTO gen_accounts
SELECT account_id, signed_up_on, segment,
       -- latent health: standard normal, enterprise slightly healthier
       CASE segment WHEN 'enterprise' THEN 0.25 WHEN 'mid' THEN 0.1 ELSE 0.0 END + z,
       w1, w2, w3, cost_noise
FROM (
    SELECT account_id, signed_up_on,
           CASE WHEN u < 0.62 THEN 'smb' WHEN u < 0.89 THEN 'mid' ELSE 'enterprise' END AS segment,
           z, w1, w2, w3, cost_noise
    FROM (
        SELECT account_id, signed_up_on,
               random() AS u,
               pg_temp.rnorm() AS z,
               1 + floor(random() * 48)::int AS w1,
               1 + floor(random() * 40)::int AS w2,
               1 + floor(random() * 16)::int AS w3,
               pg_temp.rnorm() AS cost_noise
        FROM (SELECT row_number() OVER (ORDER BY signed_up_on, seq)::int AS account_id,
                     signed_up_on
              FROM gen_trials
              WHERE converted
              ORDER BY signed_up_on, seq) ordered
    ) drawn
) segmented;

WITH named AS (
    SELECT a.account_id,
           (ARRAY['Acme','Blue','Bright','Cedar','Clear','Copper','Crimson','Delta',
                  'Eastern','Evergreen','Falcon','First','Golden','Granite','Green','Harbor',
                  'Iron','Juniper','Keystone','Lakeside','Maple','Meridian','Silver','North',
                  'Nova','Oak','Orbit','Pacific','Pine','Pioneer','Prairie','Quantum',
                  'Red','River','Rocky','Sage','Summit','Sun','Swift','Tidal',
                  'True','Union','Vantage','Vertex','West','Willow','Zenith','Atlas'])[a.w1]
           || ' ' ||
           (ARRAY['Analytics','Apparel','Bakery','Bio','Builders','Capital','Cloud','Clinics',
                  'Data','Dental','Design','Energy','Foods','Freight','Games','Health',
                  'Homes','Insurance','Labs','Learning','Legal','Logistics','Media','Medical',
                  'Motors','Networks','Outdoors','Partners','Pharma','Realty','Retail','Robotics',
                  'Security','Software','Solar','Sports','Studios','Systems','Travel','Water'])[a.w2]
           || (ARRAY['',' Inc',' LLC',' Ltd',' Group',' Co',' GmbH',' AB',
                     ' Corp',' Holdings','','',' & Co',' SA',' BV',''])[a.w3] AS base_name
    FROM gen_accounts a
)
INSERT INTO demo.accounts (account_id, name, segment, signed_up_on, acquisition_cost)
SELECT a.account_id,
       n.base_name || CASE WHEN n.dup > 1 THEN ' (' || n.dup || ')' ELSE '' END,
       a.segment,
       a.signed_up_on,
       -- the sign-up month's marketing spend shared out by segment weight,
       -- plus sales cost (higher for bigger segments), with noise
       round((ms.spend * seg.w / sum(seg.w) OVER (PARTITION BY date_trunc('month', a.signed_up_on))
              + seg.sales * exp(0.35 * a.cost_noise))::numeric, 2)
FROM gen_accounts a
JOIN (SELECT account_id, base_name,
             row_number() OVER (PARTITION BY base_name ORDER BY account_id) AS dup
      FROM named) n USING (account_id)
JOIN (VALUES ('smb', 1.0, 250.0), ('mid', 2.5, 2200.0), ('enterprise', 6.0, 12000.0))
     AS seg(segment, w, sales) USING (segment)
JOIN demo.marketing_spend ms ON ms.month = date_trunc('month', a.signed_up_on)::date
ORDER BY a.account_id;

-- ---------------------------------------------------------------------------
-- 3. subscriptions: month-by-month simulation per account
-- ---------------------------------------------------------------------------

CREATE TEMP TABLE gen_subs (
    seq            int PRIMARY KEY,
    account_id     int NOT NULL,
    plan           text NOT NULL,
    billing_period interval NOT NULL,
    amount         numeric(12,2) NOT NULL,
    started_on     date NOT NULL,
    ended_on       date
) ON COMMIT DROP;

DO $$
DECLARE
    plans    text[]    := ARRAY['starter', 'growth', 'business', 'enterprise'];
    prices   numeric[] := ARRAY[99, 299, 799, 1999];   -- monthly list price per unit
    end_day  date      := date '2025-12-31';
    a        record;
    h        double precision;
    tier     int;
    q        int;       -- units (seat packs)
    annual   boolean;
    n_tier   int;
    n_q      int;
    n_annual boolean;
    cur_start    date;
    tenure_start date;
    k        int;
    d        date;
    renewal  boolean;
    bad      double precision;
    seg_f    double precision;
    p        double precision;
    u        double precision;
    p_down   double precision;
    is_open  boolean;
    winbacks int;
    gap      int;
    seq      int := 0;
BEGIN
    FOR a IN SELECT account_id, segment, signed_up_on, health
             FROM gen_accounts ORDER BY account_id
    LOOP
        h := a.health;
        IF a.segment = 'smb' THEN
            tier   := CASE WHEN random() < 0.75 THEN 1 ELSE 2 END;
            q      := 1 + floor(random() * 3)::int;
            annual := random() < 0.25;
            seg_f  := 1.0;
        ELSIF a.segment = 'mid' THEN
            tier   := CASE WHEN random() < 0.60 THEN 2 ELSE 3 END;
            q      := 1 + floor(random() * 4)::int;
            annual := random() < 0.50;
            seg_f  := 0.65;
        ELSE
            tier   := CASE WHEN random() < 0.45 THEN 3 ELSE 4 END;
            q      := 1 + floor(random() * 5)::int;
            annual := random() < 0.85;
            seg_f  := 0.35;
        END IF;

        cur_start    := a.signed_up_on;
        tenure_start := cur_start;
        k            := 0;
        is_open      := true;
        winbacks     := 0;

        LOOP
            k := k + 1;
            d := (cur_start + interval '1 month' * k)::date;   -- k-th monthly anniversary
            EXIT WHEN d > end_day;                              -- still running at the end
            bad     := pg_temp.outage(d);
            renewal := NOT annual OR k % 12 = 0;

            -- churn: monthly plans at any monthly renewal, annual plans only at
            -- the yearly renewal; smaller segments and unhealthy accounts churn
            -- more, new customers a bit more, the outage a lot more
            IF renewal THEN
                p := CASE WHEN annual THEN 0.19 ELSE 0.03 END
                     * seg_f
                     * exp(-0.6 * h)
                     * CASE WHEN d < (tenure_start + interval '4 months')::date THEN 1.4 ELSE 1.0 END
                     * (1 + 1.1 * bad);
                IF random() < least(p, 0.9) THEN
                    INSERT INTO gen_subs VALUES
                        (seq + 1, a.account_id, plans[tier], CASE WHEN annual THEN interval '1 year' ELSE interval '1 month' END,
                         CASE WHEN annual THEN prices[tier] * q * 10 ELSE prices[tier] * q END,
                         cur_start, d);
                    seq := seq + 1;
                    is_open := false;
                    -- win-back: some churned accounts return 2..13 months later,
                    -- more of those who left during the outage
                    IF winbacks < 2
                       AND random() < 0.14 * exp(0.3 * h) * (1 + 1.2 * bad) THEN
                        gap := 2 + floor(random() * 12)::int;
                        cur_start := (d + interval '1 month' * gap)::date;
                        EXIT WHEN cur_start > end_day;
                        winbacks     := winbacks + 1;
                        tenure_start := cur_start;
                        k            := 0;
                        is_open      := true;
                        annual := random() < 0.15;
                        IF tier > 1 AND random() < 0.4 THEN
                            tier := tier - 1;
                        END IF;
                        q := greatest(1, q - floor(random() * 2)::int);
                        CONTINUE;
                    END IF;
                    EXIT;
                END IF;
            END IF;

            -- expansion / contraction / billing switch
            n_tier := tier; n_q := q; n_annual := annual;
            u := random();
            p := 0.016 * exp(0.5 * h) * (1 - 0.6 * bad) / sqrt(seg_f);      -- upgrade
            -- downgrade: annual plans only at renewal (PL/pgSQL cannot take a
            -- CASE inside an IF condition, hence the separate variable)
            p_down := 0.006 * exp(-0.5 * h) * (1 + 2 * bad);
            IF annual THEN
                p_down := CASE WHEN renewal THEN 6 * p_down ELSE 0 END;
            END IF;
            IF u < p THEN
                IF tier < 4 AND random() < 0.3 THEN
                    n_tier := tier + 1;
                    n_q    := greatest(1, ceil(q / 2.0)::int);
                ELSE
                    n_q := least(q + 1 + floor(random() * 2)::int, 25);
                END IF;
            ELSIF u < p + p_down THEN
                IF q > 1 AND random() < 0.75 THEN
                    n_q := q - 1;
                ELSIF tier > 1 THEN
                    n_tier := tier - 1;
                END IF;
            ELSIF renewal AND NOT annual AND u > 1 - 0.006 * exp(0.3 * h) THEN
                n_annual := true;                     -- monthly -> annual
            ELSIF renewal AND annual AND u > 1 - 0.05 THEN
                n_annual := false;                    -- annual -> monthly at renewal
            END IF;

            IF n_tier <> tier OR n_q <> q OR n_annual <> annual THEN
                INSERT INTO gen_subs VALUES
                    (seq + 1, a.account_id, plans[tier], CASE WHEN annual THEN interval '1 year' ELSE interval '1 month' END,
                     CASE WHEN annual THEN prices[tier] * q * 10 ELSE prices[tier] * q END,
                     cur_start, d);
                seq := seq + 1;
                tier := n_tier; q := n_q; annual := n_annual;
                cur_start := d;
                k := 0;
            END IF;
        END LOOP;

        IF is_open THEN
            INSERT INTO gen_subs VALUES
                (seq + 1, a.account_id, plans[tier], CASE WHEN annual THEN interval '1 year' ELSE interval '1 month' END,
                 CASE WHEN annual THEN prices[tier] * q * 10 ELSE prices[tier] * q END,
                 cur_start, NULL);
            seq := seq + 1;
        END IF;
    END LOOP;
END
$$;

INSERT INTO demo.subscriptions
SELECT row_number() OVER (ORDER BY started_on, account_id, seq),
       account_id, plan, billing_period, amount, started_on, ended_on
FROM gen_subs
ORDER BY started_on, account_id, seq;

-- ---------------------------------------------------------------------------
-- 4. customer_months: every month from the first subscription month to
--    2025-12; mrr of the subscription active on the 1st of the month, else 0
-- ---------------------------------------------------------------------------

INSERT INTO demo.customer_months (account_id, month, mrr)
SELECT f.account_id, gs.month::date,
       coalesce(CASE WHEN s.billing_period = interval '1 year'
                     THEN round(s.amount / 12, 2) ELSE s.amount END, 0)
FROM (SELECT account_id, date_trunc('month', min(started_on)) AS first_month
      FROM demo.subscriptions GROUP BY account_id) f
CROSS JOIN LATERAL generate_series(f.first_month, timestamp '2025-12-01', interval '1 month') AS gs(month)
LEFT JOIN demo.subscriptions s
       ON s.account_id = f.account_id
      AND s.started_on <= gs.month::date
      AND (s.ended_on IS NULL OR s.ended_on > gs.month::date)
ORDER BY f.account_id, gs.month;

-- tenures: maximal runs of back-to-back subscriptions (an upgrade does not
-- break a tenure, a cancellation does); [t_start, t_end), t_end NULL = active
CREATE TEMP TABLE gen_tenures ON COMMIT DROP AS
SELECT account_id, min(started_on) AS t_start,
       CASE WHEN bool_or(ended_on IS NULL) THEN NULL ELSE max(ended_on) END AS t_end
FROM (SELECT account_id, started_on, ended_on,
             sum(CASE WHEN prev_end = started_on THEN 0 ELSE 1 END)
                 OVER (PARTITION BY account_id ORDER BY started_on) AS grp
      FROM (SELECT account_id, started_on, ended_on,
                   lag(ended_on) OVER (PARTITION BY account_id ORDER BY started_on) AS prev_end
            FROM demo.subscriptions) s1) s2
GROUP BY account_id, grp;

-- ---------------------------------------------------------------------------
-- 5. NPS: a few answers per active account and quarter
-- ---------------------------------------------------------------------------

-- (account, tenure, quarter) windows [a, b) while active
CREATE TEMP TABLE gen_nps_slots ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY account_id, qs, a)::int AS slot,
       account_id, segment, health, qs, a, b, n
FROM (
    SELECT w.*,
           pg_temp.rpois(CASE w.segment WHEN 'smb' THEN 1.3 WHEN 'mid' THEN 2.0 ELSE 3.2 END
                         * (w.b - w.a)::double precision / ((w.qs + interval '3 months')::date - w.qs)) AS n
    FROM (
        SELECT t.account_id, ga.segment, ga.health, q.qs::date AS qs,
               greatest(t.t_start, q.qs::date) AS a,
               least(coalesce(t.t_end, date '2026-01-01'), (q.qs + interval '3 months')::date) AS b
        FROM gen_tenures t
        JOIN gen_accounts ga USING (account_id)
        JOIN generate_series(timestamp '2023-01-01', timestamp '2025-10-01', interval '3 months') AS q(qs)
          ON t.t_start < (q.qs + interval '3 months')::date
         AND coalesce(t.t_end, date '2026-01-01') > q.qs::date
        ORDER BY t.account_id, q.qs, t.t_start
    ) w
) x;

CREATE TEMP TABLE gen_nps ON COMMIT DROP AS
SELECT slot, g, account_id,
       ((a + floor(random() * (b - a))::int)::timestamp
         + interval '6 hours' + interval '1 second' * floor(random() * 14 * 3600)) AT TIME ZONE 'UTC' AS answered_at,
       -- latent score: healthier accounts score higher, slow improvement over
       -- time, the outage quarter drags it down
       least(10, greatest(0, round(
           8.2 + 0.04 * (extract(year FROM qs) - 2023)
           + 1.25 * health
           - 0.75 * pg_temp.outage(qs)
           + 1.5 * pg_temp.rnorm())))::smallint AS score
FROM (SELECT s.slot, g.g, s.account_id, s.qs, s.a, s.b, s.health
      FROM gen_nps_slots s CROSS JOIN LATERAL generate_series(1, s.n) AS g(g)
      ORDER BY s.slot, g.g) o;

INSERT INTO demo.nps_answers (answer_id, account_id, answered_at, score)
SELECT row_number() OVER (ORDER BY answered_at, slot, g), account_id, answered_at, score
FROM gen_nps
ORDER BY answered_at, slot, g;

-- ---------------------------------------------------------------------------
-- 6. tickets: Poisson per active account-month
-- ---------------------------------------------------------------------------

CREATE TEMP TABLE gen_ticket_slots ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY account_id, ms, a)::int AS slot,
       account_id, health, ms, a, b, n
FROM (
    SELECT w.*,
           pg_temp.rpois(
               CASE w.segment WHEN 'smb' THEN 0.30 WHEN 'mid' THEN 0.75 ELSE 1.9 END
               * exp(-0.45 * w.health)
               * CASE WHEN w.ms < (w.t_start + interval '2 months')::date THEN 1.8 ELSE 1.0 END  -- onboarding
               * CASE w.ms WHEN date '2024-07-01' THEN 3.0 WHEN date '2024-08-01' THEN 2.2
                           WHEN date '2024-09-01' THEN 1.6 ELSE 1 + 0.3 * pg_temp.outage(w.ms) END
               * (w.b - w.a)::double precision / ((w.ms + interval '1 month')::date - w.ms)) AS n
    FROM (
        SELECT t.account_id, ga.segment, ga.health, t.t_start, m.ms::date AS ms,
               greatest(t.t_start, m.ms::date) AS a,
               least(coalesce(t.t_end, date '2026-01-01'), (m.ms + interval '1 month')::date) AS b
        FROM gen_tenures t
        JOIN gen_accounts ga USING (account_id)
        JOIN generate_series(timestamp '2023-01-01', timestamp '2025-12-01', interval '1 month') AS m(ms)
          ON t.t_start < (m.ms + interval '1 month')::date
         AND coalesce(t.t_end, date '2026-01-01') > m.ms::date
        ORDER BY t.account_id, m.ms, t.t_start
    ) w
) x;

-- raw draws, in a fixed order
CREATE TEMP TABLE gen_tickets ON COMMIT DROP AS
SELECT slot, g, account_id, ms, health,
       ((a + floor(random() * (b - a))::int)::timestamp
         + interval '7 hours' + interval '1 second' * floor(random() * 11 * 3600)) AT TIME ZONE 'UTC' AS opened_at,
       random() AS u_contacts,
       random() AS u_csat_answered,
       random() AS u_ces_answered,
       pg_temp.rnorm() AS z_sat,
       pg_temp.rnorm() AS z_ces
FROM (SELECT s.slot, g.g, s.account_id, s.ms, s.a, s.b, s.health
      FROM gen_ticket_slots s CROSS JOIN LATERAL generate_series(1, s.n) AS g(g)
      ORDER BY s.slot, g.g) o;

INSERT INTO demo.tickets (ticket_id, account_id, opened_at, contacts_to_resolve, csat, ces)
SELECT row_number() OVER (ORDER BY opened_at, slot, g),
       account_id, opened_at, contacts,
       CASE WHEN u_csat_answered < 0.70
            THEN least(5, greatest(1, round(4.42 + sat)))::smallint END,
       CASE WHEN u_csat_answered < 0.70 AND u_ces_answered < 0.90
            THEN least(7, greatest(1, round(5.4 + 1.1 * sat + 0.6 * z_ces)))::smallint END
FROM (
    SELECT c.*,
           -- satisfaction: health helps, repeated contacts and the outage hurt
           0.3 * health - 0.35 * (contacts - 1) - 0.6 * pg_temp.outage(ms) + 0.75 * z_sat AS sat
    FROM (
        SELECT t.*,
               -- geometric number of extra contacts
               1 + least(11, floor(ln(1.0 - u_contacts)
                                   / ln(least(0.7, greatest(0.05, 0.27 - 0.06 * health
                                                                  + 0.15 * pg_temp.outage(ms))))))::int AS contacts
        FROM gen_tickets t
    ) c
) s
ORDER BY opened_at, slot, g;

-- ---------------------------------------------------------------------------
-- 7. activity: weekly active users (Mondays while a subscription is active)
-- ---------------------------------------------------------------------------

INSERT INTO demo.activity (account_id, day, active_users)
SELECT account_id, day,
       greatest(0, round(
           seats
           * least(0.95, greatest(0.08, 0.5 + 0.12 * health))                    -- engagement
           * CASE WHEN to_char(day, 'MM-DD') >= '12-22' OR to_char(day, 'MM-DD') <= '01-02' THEN 0.55
                  WHEN extract(month FROM day) = 8 THEN 0.88 ELSE 1.0 END      -- holidays
           * (1 - 0.15 * pg_temp.outage(day))                                   -- outage
           * least(1.0, 0.4 + 0.6 * (day - t_start) / 42.0)                     -- onboarding ramp
           * CASE WHEN t_end IS NOT NULL AND t_end - day < 56
                  THEN 0.35 + 0.65 * (t_end - day) / 56.0 ELSE 1.0 END          -- fading before churn
           * (1 + 0.10 * pg_temp.rnorm())))::int
FROM (
    SELECT s.account_id, w.day::date AS day,
           greatest(2, round(CASE WHEN s.billing_period = interval '1 year'
                                  THEN s.amount / 12 ELSE s.amount END / 18.0)) AS seats,
           ga.health, t.t_start, t.t_end
    FROM demo.subscriptions s
    JOIN gen_accounts ga USING (account_id)
    JOIN gen_tenures t
      ON t.account_id = s.account_id
     AND t.t_start <= s.started_on
     AND (t.t_end IS NULL OR t.t_end > s.started_on)
    CROSS JOIN LATERAL generate_series(
        -- first Monday on or after started_on
        (s.started_on + (8 - extract(isodow FROM s.started_on)::int) % 7)::timestamp,
        (least(coalesce(s.ended_on, date '2026-01-01'), date '2026-01-01') - 1)::timestamp,
        interval '7 days') AS w(day)
    ORDER BY s.account_id, w.day
) o;

DROP FUNCTION pg_temp.rnorm(), pg_temp.rpois(double precision), pg_temp.outage(date);

COMMIT;

ANALYZE demo.accounts, demo.subscriptions, demo.customer_months, demo.nps_answers,
        demo.tickets, demo.activity, demo.trials, demo.marketing_spend;

-- ---------------------------------------------------------------------------
-- add-on orders, for predictive CLV (doc/clv.md): while it still buys, each
-- account orders add-ons as a Poisson process (weekly rate ~ Gamma(0.5, 4));
-- after each repeat order it stops for good with a probability ~ Beta(0.5, 4.5);
-- order values are Gamma(3, nu) with nu ~ Gamma(4, rate 150) per account (mean
-- about 150).  The first order is on the sign-up day.  The uniforms come from
-- hashint8extended(account, stream), not random(), so the data above stay as
-- they were.
-- ---------------------------------------------------------------------------
CREATE TABLE demo.orders (
    account_id int NOT NULL REFERENCES demo.accounts,
    ordered_on date NOT NULL,
    amount     numeric(12,2) NOT NULL CHECK (amount > 0)
);

CREATE FUNCTION pg_temp.u(c bigint, s bigint) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    RETURN ((hashint8extended(c, s) & 9007199254740991) + 0.5) / 9007199254740992.0;

INSERT INTO demo.orders
SELECT account_id, signed_up_on + floor(t * 7)::int,
       greatest(0.01, round((-ln(pg_temp.u(account_id, 1000 + 3 * j) * pg_temp.u(account_id, 1001 + 3 * j)
                                 * pg_temp.u(account_id, 1002 + 3 * j)) / nu)::numeric, 2))
FROM (
    SELECT a.account_id, a.signed_up_on, p.lam, p.nu, j,
           sum(CASE WHEN j > 0 THEN -ln(pg_temp.u(a.account_id, 100 + j)) / p.lam ELSE 0 END)
               OVER (PARTITION BY a.account_id ORDER BY j) AS t
    FROM demo.accounts a
    CROSS JOIN LATERAL (
        SELECT lam, nu,
               least(greatest(1, ceil(ln(pg_temp.u(a.account_id, 13)) / ln(1 - x / (x + y)))),
                     ceil(2 * lam * 160 + 10))::int AS last_j
        FROM (SELECT -ln(pg_temp.u(a.account_id, 1)) * cos(2 * pi() * pg_temp.u(a.account_id, 2)) ^ 2 / 4.0 AS lam,
                     -ln(pg_temp.u(a.account_id, 3)) * cos(2 * pi() * pg_temp.u(a.account_id, 4)) ^ 2 AS x,
                     -ln(pg_temp.u(a.account_id, 3)) * sin(2 * pi() * pg_temp.u(a.account_id, 4)) ^ 2
                     - ln(pg_temp.u(a.account_id, 5) * pg_temp.u(a.account_id, 6)
                          * pg_temp.u(a.account_id, 7) * pg_temp.u(a.account_id, 8)) AS y,
                     -ln(pg_temp.u(a.account_id, 9) * pg_temp.u(a.account_id, 10)
                         * pg_temp.u(a.account_id, 11) * pg_temp.u(a.account_id, 12)) / 150.0 AS nu) g
    ) p
    CROSS JOIN LATERAL generate_series(0, p.last_j) j
) o
WHERE j = 0 OR t * 7 < DATE '2026-01-01' - signed_up_on;

DROP FUNCTION pg_temp.u(bigint, bigint);
ANALYZE demo.orders;

-- ---------------------------------------------------------------------------
-- product events, for engagement (doc/engagement.md): the users of a sample
-- of accounts (one in forty) in 2025, one row per user and active day.  An
-- account's users are account_id * 1000 + seat; in a week the first
-- active_users seats (demo.activity) may be active: the first fifth of them
-- (power users) on about 88% of workdays, the others on about 41%, everyone
-- on about 15% of weekend days.  The uniforms come from hashint8, not
-- random(), so the data above stay as they were.
-- ---------------------------------------------------------------------------
CREATE TABLE demo.product_events (
    user_id        bigint NOT NULL,
    account_id     int NOT NULL REFERENCES demo.accounts,
    active_on      date NOT NULL,
    session_length interval NOT NULL
);

INSERT INTO demo.product_events
SELECT user_id, account_id, day, make_interval(mins => (3 + (h >> 4) % 45)::int)
FROM (
    SELECT a.account_id, a.account_id * 1000::bigint + u AS user_id, a.day + d AS day, u, d,
           a.active_users,
           hashint8((a.account_id * 1000::bigint + u) * 100000 + (a.day + d - DATE '2025-01-01'))::bigint
               & 65535 AS h
    FROM demo.activity a
    CROSS JOIN LATERAL generate_series(1, a.active_users) u
    CROSS JOIN generate_series(0, 6) d
    WHERE a.day >= DATE '2025-01-01' AND a.account_id % 40 = 0
) x
WHERE day < DATE '2026-01-01'
  AND (h & 1023) < CASE WHEN d >= 5 THEN 150
                        WHEN u <= greatest(1, active_users / 5) THEN 900
                        ELSE 420 END;
ANALYZE demo.product_events;
