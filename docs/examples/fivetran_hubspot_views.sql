-- The app's canonical tables as views over HubSpot synced by Fivetran (PostgreSQL).
--
-- Fivetran's HubSpot connector writes the schema `hubspot` (tables `deal`,
-- `deal_pipeline_stage`, `deal_property_history`, `deal_contact`, `contact`,
-- `owner`); these views give the schema `kpi` the tables and columns the KPI
-- queries read (docs/tables.md), with the types `python -m kpi load` creates.
-- Then:   python -m kpi report --source postgresql://... --schema kpi
-- How to adapt it (another stage layout, a time zone, Airbyte, dbt): docs/scale-out.md,
-- "Your own schema as the KPI tables". Run it again after a change; PostgreSQL
-- replaces a view only with the same columns, so drop it first otherwise.
--
-- dbt: each `SELECT` below is one model (models/kpi/deals.sql...), with
-- {{ source('hubspot', 'deal') }} in place of hubspot.deal and
-- {{ config(materialized='view', schema='kpi') }}.
--
-- Choices to check against your portal (each is marked CHECK below):
--   * dates are read in UTC; write your company's zone instead ('Europe/Paris');
--   * a deal without a currency code is in the portal's company currency (EUR here);
--   * a stage is won when HubSpot flags it `closed_won`, lost when its
--     probability is 0 (HubSpot's "Closed lost"), open otherwise;
--   * the proposal is sent when the deal first enters the stage `contractsent`.

CREATE SCHEMA IF NOT EXISTS kpi;

-- HubSpot's "Original source" codes as the app's channels (docs/tables.md,
-- "Channels"), declared once for deals and contacts. A code missing here reads `other`.
CREATE OR REPLACE VIEW kpi.hubspot_channel (raw, channel) AS
VALUES ('ORGANIC_SEARCH', 'website_organic'),
       ('DIRECT_TRAFFIC', 'website_organic'),
       ('PAID_SEARCH', 'website_paid'),
       ('PAID_SOCIAL', 'website_paid'),
       ('SOCIAL_MEDIA', 'other_social'),
       ('EMAIL_MARKETING', 'cold_email'),
       ('REFERRALS', 'referral'),
       ('OTHER_CAMPAIGNS', 'other'),
       ('OFFLINE', 'other');

-- A rep's name: "First Last", else the e-mail; no owner is `Unassigned`. Ids
-- compared as text: Fivetran types an owner property as a number or a string.
CREATE OR REPLACE VIEW kpi.hubspot_owner AS
SELECT CAST(owner_id AS text) AS owner_id,
       coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email) AS name
FROM hubspot.owner;

CREATE OR REPLACE VIEW kpi.deals AS
WITH stage AS (
    SELECT stage_id,
           label,
           CASE WHEN closed_won THEN 'won'
                WHEN probability = 0 THEN 'lost'                       -- CHECK
                ELSE 'open' END AS status
    FROM hubspot.deal_pipeline_stage
    WHERE NOT coalesce(_fivetran_deleted, false)
), proposal AS (
    SELECT deal_id, min("timestamp") AS sent
    FROM hubspot.deal_property_history
    WHERE name = 'dealstage' AND value = 'contractsent'                 -- CHECK
    GROUP BY deal_id
), contact AS (
    SELECT deal_id, min(contact_id) AS contact_id
    FROM hubspot.deal_contact
    GROUP BY deal_id
)
SELECT CAST(d.deal_id AS text) AS deal_id,
       CAST(d.property_dealname AS text) AS deal_name,
       coalesce(o.name, 'Unassigned') AS owner,
       coalesce(c.channel, CASE WHEN d.property_hs_analytics_source IS NULL
                                THEN 'unknown' ELSE 'other' END) AS channel,
       CAST(d.property_hs_analytics_source AS text) AS channel_raw,
       CAST(s.label AS text) AS stage,
       coalesce(s.status, 'open') AS status,
       CAST(s.label AS text) AS status_raw,
       CAST(d.property_amount AS double precision) AS amount,
       CAST(d.property_createdate AT TIME ZONE 'UTC' AS date) AS created_at,     -- CHECK
       -- HubSpot's close date of an open deal is the expected one: not a close.
       CASE WHEN s.status IN ('won', 'lost')
            THEN CAST(d.property_closedate AT TIME ZONE 'UTC' AS date) END AS closed_at,
       CAST(p.sent AT TIME ZONE 'UTC' AS date) AS proposal_sent_at,
       CAST(ct.contact_id AS text) AS lead_id,
       CAST(coalesce(d.property_deal_currency_code, 'EUR') AS text) AS currency,  -- CHECK
       CAST('fivetran:hubspot.deal' AS text) AS source_file
FROM hubspot.deal AS d
LEFT JOIN stage AS s ON s.stage_id = d.deal_pipeline_stage_id
LEFT JOIN kpi.hubspot_owner AS o ON o.owner_id = CAST(d.owner_id AS text)
LEFT JOIN kpi.hubspot_channel AS c ON c.raw = d.property_hs_analytics_source
LEFT JOIN proposal AS p ON p.deal_id = d.deal_id
LEFT JOIN contact AS ct ON ct.deal_id = d.deal_id
WHERE NOT coalesce(d.is_deleted, false);

-- Contacts as leads; converted on the day they became a customer.
CREATE OR REPLACE VIEW kpi.leads AS
SELECT CAST(ct.id AS text) AS lead_id,
       CAST(ct.property_createdate AT TIME ZONE 'UTC' AS date) AS created_at,
       coalesce(o.name, 'Unassigned') AS owner,
       coalesce(c.channel, CASE WHEN ct.property_hs_analytics_source IS NULL
                                THEN 'unknown' ELSE 'other' END) AS channel,
       CAST(ct.property_hs_analytics_source AS text) AS channel_raw,
       CAST(ct.property_hs_lifecyclestage_customer_date AT TIME ZONE 'UTC' AS date)
           AS converted_at,
       CAST('fivetran:hubspot.contact' AS text) AS source_file
FROM hubspot.contact AS ct
LEFT JOIN kpi.hubspot_owner AS o ON o.owner_id = CAST(ct.property_hubspot_owner_id AS text)
LEFT JOIN kpi.hubspot_channel AS c ON c.raw = ct.property_hs_analytics_source
WHERE NOT coalesce(ct._fivetran_deleted, false);

CREATE OR REPLACE VIEW kpi.users AS
SELECT owner_id AS user_id,
       CAST(name AS text) AS full_name,
       CAST('fivetran:hubspot.owner' AS text) AS source_file
FROM kpi.hubspot_owner;

-- Tables HubSpot has no source for here: empty, with their columns, so every
-- page finds them (a page whose table is empty says what it needs).
CREATE OR REPLACE VIEW kpi.proposals AS
SELECT CAST(NULL AS text) AS proposal_id, CAST(NULL AS text) AS deal_id,
       CAST(NULL AS text) AS owner, CAST(NULL AS date) AS sent_at,
       CAST(NULL AS double precision) AS amount, CAST(NULL AS text) AS status,
       CAST(NULL AS text) AS status_raw, CAST(NULL AS text) AS source_file
WHERE false;

CREATE OR REPLACE VIEW kpi.content AS
SELECT CAST(NULL AS date) AS date, CAST(NULL AS text) AS owner, CAST(NULL AS text) AS kind,
       CAST(NULL AS text) AS deal_id, CAST(NULL AS text) AS title,
       CAST(NULL AS bigint) AS views, CAST(NULL AS bigint) AS likes,
       CAST(NULL AS text) AS source_file
WHERE false;

CREATE OR REPLACE VIEW kpi.compensation AS
SELECT CAST(NULL AS text) AS owner, CAST(NULL AS date) AS month,
       CAST(NULL AS double precision) AS package,
       CAST(NULL AS double precision) AS annual_package, CAST(NULL AS text) AS source_file
WHERE false;

CREATE OR REPLACE VIEW kpi.channel_costs AS
SELECT CAST(NULL AS text) AS channel, CAST(NULL AS text) AS channel_raw,
       CAST(NULL AS date) AS month, CAST(NULL AS double precision) AS spend,
       CAST(NULL AS text) AS source_file
WHERE false;

CREATE OR REPLACE VIEW kpi.quotas AS
SELECT CAST(NULL AS text) AS owner, CAST(NULL AS date) AS period_start,
       CAST(NULL AS double precision) AS target, CAST(NULL AS text) AS interval,
       CAST(NULL AS date) AS period_end, CAST(NULL AS text) AS currency,
       CAST(NULL AS text) AS source_file
WHERE false;
