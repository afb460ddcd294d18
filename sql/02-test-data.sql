-- Deterministic healthcare test data for healthcare_db (run after 01-schema.sql, exactly once).
-- Pure SQL, no psql meta-commands: it runs through `psql -f` and as one multi-statement simple
-- query from node-postgres.
--
-- Scale: the custom GUC pgha.scale (`SET pgha.scale = '10'` or PGOPTIONS='-c pgha.scale=10');
-- missing or empty means 1. Rows per unit of scale: facilities 10, providers 200, patients 10000,
-- appointments 100000, medical_records 30000, prescriptions 20000, lab_results 40000,
-- audit_log 10000 (facilities/providers/patients never fall below 1).
--
-- Determinism: every value is a pure function of the row number, via pg_temp.h(i, salt), a
-- wrapper over hashint8extended() (the hash behind hash partitioning, so its output is stable
-- across platforms and releases). Nothing depends on evaluation order, plan shape, now(), or the
-- session TimeZone. Ids are inserted explicitly (1..n) so foreign keys computed by modulo are
-- valid, then each identity sequence is moved past them.

BEGIN;

-- Nothing below calls random(); seed it anyway so a future edit that does stays reproducible.
SELECT setseed(0.42);
SET LOCAL max_parallel_workers_per_gather = 0;
-- timestamptz + interval '1 day' depends on the session zone (DST); pin it for the load only.
SET LOCAL TimeZone = 'UTC';
-- JIT compiles each INSERT for ~0.25 s (the planner overestimates the generate_series joins) and
-- buys nothing for these simple expressions.
SET LOCAL jit = off;

CREATE TEMP TABLE gen_params ON COMMIT DROP AS
SELECT s AS scale,
       greatest(1, round(10 * s))::bigint     AS n_fac,
       greatest(1, round(200 * s))::bigint    AS n_prov,
       greatest(1, round(10000 * s))::bigint  AS n_pat,
       round(100000 * s)::bigint              AS n_appt,
       round(30000 * s)::bigint               AS n_rec,
       round(20000 * s)::bigint               AS n_rx,
       round(40000 * s)::bigint               AS n_lab,
       round(10000 * s)::bigint               AS n_audit
FROM (SELECT coalesce(nullif(btrim(current_setting('pgha.scale', true)), ''), '1')::numeric AS s) AS x;

DO $$
BEGIN
  IF (SELECT scale FROM gen_params) <= 0 THEN
    RAISE EXCEPTION 'pgha.scale must be > 0, got %', (SELECT scale FROM gen_params);
  END IF;
END $$;

-- Foreign keys are checked row by row by triggers, which is over half the load time. Every id
-- below is valid by construction, so drop the lab tables' foreign keys for the load and re-add
-- them verbatim before COMMIT, where each is validated by one join. All inside this transaction:
-- on any error they come back untouched.
CREATE TEMP TABLE gen_fks ON COMMIT DROP AS
SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
FROM pg_constraint c
WHERE c.contype = 'f'
  AND c.conrelid IN ('healthcare_providers'::regclass, 'appointments'::regclass,
                     'medical_records'::regclass, 'prescriptions'::regclass,
                     'lab_results'::regclass);

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM gen_fks LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;

-- Non-negative pseudo-random bigint for row i; different salts give independent columns.
CREATE FUNCTION pg_temp.h(i bigint, salt integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT hashint8extended(i, salt) & 9223372036854775807 $$;

-- Deterministic pick from an array.
CREATE FUNCTION pg_temp.pick(arr text[], i bigint, salt integer) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT arr[1 + (pg_temp.h(i, salt) % cardinality(arr))::int] $$;

-- Word lists. A SQL function rather than a temp table: called with a constant it is inlined and
-- folded to a constant array at plan time, while a table column would be re-detoasted per row.
CREATE FUNCTION pg_temp.words(list text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE list
  -- odd positions are male names, even positions female (patients' gender follows)
  WHEN 'first_names' THEN
    ARRAY['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth',
          'William','Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen',
          'Daniel','Nancy','Matthew','Lisa','Anthony','Betty','Mark','Sandra','Steven','Ashley',
          'Andrew','Emily','Joshua','Michelle','Kevin','Amanda','Brian','Melissa','Luis','Maria',
          'Wei','Priya','Ahmed','Fatima','Hiroshi','Olga','Carlos','Aisha','Noah','Sofia']
  WHEN 'last_names' THEN
    ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
          'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
          'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson',
          'Walker','Young','Allen','King','Wright','Scott','Torres','Nguyen','Hill','Flores',
          'Green','Adams','Nelson','Baker','Hall','Rivera','Campbell','Mitchell','Carter','Stewart',
          'Patel','Kim','Chen','Schmidt','Sullivan','Shah','Silva','Singh','Stone','Russo']
  WHEN 'cities' THEN
    ARRAY['Springfield','Riverside','Fairview','Madison','Georgetown','Franklin','Clinton','Salem',
          'Greenville','Bristol','Ann Arbor','Ashland','Burlington','Manchester','Dayton','Lexington']
  WHEN 'states' THEN
    ARRAY['IL','CA','TX','WI','KY','TN','IA','OR','SC','CT','MI','OH','VT','NH','OH','MA']
  WHEN 'streets' THEN
    ARRAY['Main','Oak','Pine','Maple','Cedar','Elm','Washington','Lake','Hill','Park','Sunset',
          'Highland','Church','River','Mill','Spring']
  WHEN 'street_suffixes' THEN
    ARRAY['St','Ave','Blvd','Rd','Ln','Dr','Way','Ct']
  WHEN 'specialties' THEN
    ARRAY['Family Medicine','Internal Medicine','Pediatrics','Cardiology','Dermatology','Neurology',
          'Orthopedics','Obstetrics and Gynecology','Psychiatry','Oncology','Endocrinology',
          'Gastroenterology','Pulmonology','Nephrology','Emergency Medicine','Radiology',
          'Ophthalmology','Urology']
  WHEN 'appointment_types' THEN
    ARRAY['consultation','follow_up','annual_physical','urgent_care','procedure','telehealth',
          'lab_work','vaccination']
  WHEN 'complaints' THEN
    ARRAY['Annual checkup','Chest pain','Shortness of breath','Persistent cough','Headache',
          'Lower back pain','Fever and chills','Abdominal pain','Skin rash','Joint pain','Fatigue',
          'Dizziness','Follow-up on lab results','Medication refill','Blood pressure check',
          'Sore throat','Knee injury','Anxiety','Difficulty sleeping','Vaccination']
  WHEN 'diagnoses' THEN
    ARRAY['Essential hypertension (I10)','Type 2 diabetes mellitus (E11.9)','Hyperlipidemia (E78.5)',
          'Acute upper respiratory infection (J06.9)','Asthma, mild intermittent (J45.20)',
          'Low back pain (M54.5)','Major depressive disorder, single episode (F32.9)',
          'Generalized anxiety disorder (F41.1)','Gastro-esophageal reflux disease (K21.9)',
          'Hypothyroidism (E03.9)','Migraine without aura (G43.009)','Osteoarthritis of knee (M17.9)',
          'Urinary tract infection (N39.0)','Iron deficiency anemia (D50.9)','Allergic rhinitis (J30.9)',
          'Obesity (E66.9)','Atrial fibrillation (I48.91)','Chronic kidney disease, stage 3 (N18.30)',
          'Routine general medical examination (Z00.00)','Vitamin D deficiency (E55.9)']
  WHEN 'treatments' THEN
    ARRAY['Lifestyle modification counselling','Started medication, follow up in 4 weeks',
          'Adjusted medication dose','Referred to specialist','Ordered laboratory tests',
          'Physical therapy referral','Rest, fluids and symptomatic care','Prescribed antibiotics',
          'Imaging ordered','No treatment required, monitor symptoms','Dietary counselling',
          'Continue current management']
  WHEN 'note_phrases' THEN
    ARRAY['Patient tolerating treatment well.','Symptoms improving since last visit.',
          'Discussed risks and benefits; patient agrees with plan.','Return if symptoms worsen.',
          'Vitals within normal limits.','Patient reports adherence to medication.',
          'Family history reviewed.','Education materials provided.']
  -- meds and med_doses are index-aligned
  WHEN 'meds' THEN
    ARRAY['Lisinopril','Metformin','Atorvastatin','Levothyroxine','Amlodipine','Metoprolol',
          'Omeprazole','Simvastatin','Losartan','Albuterol','Gabapentin','Hydrochlorothiazide',
          'Sertraline','Montelukast','Fluticasone','Amoxicillin','Escitalopram','Prednisone',
          'Ibuprofen','Insulin glargine']
  WHEN 'med_doses' THEN
    ARRAY['10 mg','500 mg','20 mg','50 mcg','5 mg','25 mg','20 mg','40 mg','50 mg','90 mcg/puff',
          '300 mg','25 mg','50 mg','10 mg','50 mcg/spray','500 mg','10 mg','10 mg','400 mg','20 units']
  WHEN 'frequencies' THEN
    ARRAY['once daily','twice daily','three times daily','every 8 hours','at bedtime',
          'as needed','once weekly','every morning']
  -- tests, test_units, test_low, test_high are index-aligned
  WHEN 'tests' THEN
    ARRAY['Hemoglobin','White blood cell count','Platelet count','Glucose, fasting','Hemoglobin A1c',
          'Total cholesterol','LDL cholesterol','HDL cholesterol','Triglycerides','Creatinine',
          'Sodium','Potassium','TSH','ALT','Vitamin D, 25-hydroxy']
  WHEN 'test_units' THEN
    ARRAY['g/dL','10^3/uL','10^3/uL','mg/dL','%','mg/dL','mg/dL','mg/dL','mg/dL','mg/dL',
          'mmol/L','mmol/L','mIU/L','U/L','ng/mL']
  WHEN 'test_low' THEN
    ARRAY[12.0, 4.5, 150, 70, 4.0, 125, 0, 40, 0, 0.6, 135, 3.5, 0.4, 7, 30]::text[]
  WHEN 'test_high' THEN
    ARRAY[17.5, 11.0, 400, 99, 5.6, 200, 100, 90, 150, 1.3, 145, 5.0, 4.0, 56, 100]::text[]
  WHEN 'actors' THEN
    ARRAY['Dr. On-call','nurse.station','front.desk','scheduler','billing','lab.system','pharmacy',
          'admin','ehr.integration','system']
  WHEN 'actions' THEN
    ARRAY['patient.view','patient.update','appointment.create','appointment.reschedule',
          'appointment.cancel','prescription.create','prescription.refill','lab_result.view',
          'medical_record.view','medical_record.update','login','logout']
  END $$;

-- Facilities walk the city list, and the type cycles, so facility 1 is Springfield General
-- Hospital; past 16 facilities names get a number suffix to stay distinct.
INSERT INTO medical_facilities (facility_id, name, facility_type, address, city, state, phone, created_at)
SELECT i,
       (pg_temp.words('cities'))[c] || ' '
         || (ARRAY['General Hospital','Family Clinic','Urgent Care','Diagnostic Laboratory',
                   'Imaging Center','Medical Center'])[k]
         || CASE WHEN i > 16 THEN ' ' || (1 + (i - 1) / 16) ELSE '' END,
       (ARRAY['hospital','clinic','urgent_care','laboratory','imaging_center','medical_center'])[k],
       (100 + pg_temp.h(i, 101) % 9900) || ' ' || pg_temp.pick(pg_temp.words('streets'), i, 102) || ' '
         || pg_temp.pick(pg_temp.words('street_suffixes'), i, 103),
       (pg_temp.words('cities'))[c],
       (pg_temp.words('states'))[c],
       '555-' || lpad((pg_temp.h(i, 104) % 10000)::text, 4, '0'),
       timestamptz '2024-01-01 00:00:00+00' - (pg_temp.h(i, 105) % (10 * 365 * 86400)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_fac) AS i,
     LATERAL (SELECT 1 + ((i - 1) % 16)::int AS c,   -- 16 = cardinality of cities and states
                     1 + ((i - 1) % 6)::int AS k) AS f;

-- Providers spread evenly over facilities: provider p works at facility 1 + (p-1) mod n_fac.
INSERT INTO healthcare_providers (provider_id, facility_id, first_name, last_name, specialty,
                                  license_number, email, phone, created_at)
SELECT i,
       1 + (i - 1) % g.n_fac,
       fn, ln,
       pg_temp.pick(pg_temp.words('specialties'), i, 203),
       'LIC' || (100000 + i),
       lower(fn) || '.' || lower(ln) || i || '@provider.example.org',
       '555-' || lpad((pg_temp.h(i, 204) % 10000)::text, 4, '0'),
       timestamptz '2024-01-01 00:00:00+00' - (pg_temp.h(i, 205) % (5 * 365 * 86400)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_prov) AS i,
     LATERAL (SELECT pg_temp.pick(pg_temp.words('first_names'), i, 201) AS fn,
                     pg_temp.pick(pg_temp.words('last_names'), i, 202) AS ln) AS n;

INSERT INTO patients (patient_id, medical_record_number, first_name, last_name, date_of_birth,
                      gender, phone, email, address, created_at)
SELECT i,
       'MRN' || (10000000 + i),   -- 10000000 + i keeps MRNs unique and sortable at any scale
       fn, ln,
       date '1930-01-01' + (pg_temp.h(i, 303) % (85 * 365))::int,
       CASE WHEN pg_temp.h(i, 304) % 100 < 2 THEN 'X'
            WHEN pg_temp.h(i, 304) % 100 < 3 THEN 'U'
            WHEN j % 2 = 1 THEN 'M'
            ELSE 'F' END,
       '555-' || lpad((pg_temp.h(i, 305) % 10000)::text, 4, '0'),
       CASE WHEN pg_temp.h(i, 306) % 10 < 8   -- ~20% of patients have no email on file
            THEN lower(fn) || '.' || lower(ln) || i || '@mail.example.com' END,
       (1 + pg_temp.h(i, 307) % 9999) || ' ' || pg_temp.pick(pg_temp.words('streets'), i, 308) || ' '
         || pg_temp.pick(pg_temp.words('street_suffixes'), i, 309) || ', '
         || (pg_temp.words('cities'))[1 + c] || ', ' || (pg_temp.words('states'))[1 + c],
       timestamptz '2024-01-01 00:00:00+00' - (pg_temp.h(i, 310) % (4 * 365 * 86400)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_pat) AS i,
     LATERAL (SELECT 1 + (pg_temp.h(i, 301) % cardinality(pg_temp.words('first_names')))::int AS j,
                     (pg_temp.h(i, 311) % cardinality(pg_temp.words('cities')))::int AS c) AS n0,
     LATERAL (SELECT (pg_temp.words('first_names'))[j] AS fn,
                     pg_temp.pick(pg_temp.words('last_names'), i, 302) AS ln) AS n;

-- Appointments span 2023-2024 around the dataset's "today" of 2024-01-01: earlier ones are
-- completed/cancelled/no_show, later ones scheduled/confirmed. Facility is the provider's.
INSERT INTO appointments (appointment_id, patient_id, provider_id, facility_id, appointment_date,
                          appointment_time, duration_minutes, appointment_type, status,
                          chief_complaint, created_at)
SELECT i,
       1 + pg_temp.h(i, 401) % g.n_pat,
       prov,
       1 + (prov - 1) % g.n_fac,
       d,
       time '08:00' + (pg_temp.h(i, 403) % 36) * interval '15 minutes',
       (ARRAY[15, 30, 30, 30, 45, 60])[1 + (pg_temp.h(i, 404) % 6)::int],
       pg_temp.pick(pg_temp.words('appointment_types'), i, 405),
       CASE WHEN d < date '2024-01-01' THEN
              CASE WHEN pg_temp.h(i, 406) % 100 < 82 THEN 'completed'
                   WHEN pg_temp.h(i, 406) % 100 < 92 THEN 'cancelled'
                   ELSE 'no_show' END
            ELSE
              CASE WHEN pg_temp.h(i, 406) % 100 < 65 THEN 'scheduled' ELSE 'confirmed' END
       END,
       pg_temp.pick(pg_temp.words('complaints'), i, 407),
       -- booked 1-60 days before the visit, at some second of that day
       (d - (1 + pg_temp.h(i, 408) % 60)::int)::timestamp AT TIME ZONE 'UTC'
         + (pg_temp.h(i, 409) % 86400) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_appt) AS i,
     LATERAL (SELECT 1 + pg_temp.h(i, 402) % g.n_prov AS prov,
                     date '2023-01-01' + (pg_temp.h(i, 410) % 731)::int AS d) AS a;

INSERT INTO medical_records (record_id, patient_id, provider_id, visit_date, diagnosis, treatment,
                             notes, created_at)
SELECT i,
       1 + pg_temp.h(i, 501) % g.n_pat,
       1 + pg_temp.h(i, 502) % g.n_prov,
       d,
       pg_temp.pick(pg_temp.words('diagnoses'), i, 503),
       pg_temp.pick(pg_temp.words('treatments'), i, 504),
       pg_temp.pick(pg_temp.words('note_phrases'), i, 505) || ' ' || pg_temp.pick(pg_temp.words('note_phrases'), i, 506),
       d::timestamp AT TIME ZONE 'UTC' + (8 * 3600 + pg_temp.h(i, 507) % (10 * 3600)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_rec) AS i,
     LATERAL (SELECT date '2019-01-01' + (pg_temp.h(i, 508) % 1826)::int AS d) AS r;

INSERT INTO prescriptions (prescription_id, patient_id, provider_id, medication_name, dosage,
                           frequency, start_date, end_date, refills, created_at)
SELECT i,
       1 + pg_temp.h(i, 601) % g.n_pat,
       1 + pg_temp.h(i, 602) % g.n_prov,
       (pg_temp.words('meds'))[m],
       (pg_temp.words('med_doses'))[m],
       pg_temp.pick(pg_temp.words('frequencies'), i, 604),
       sd,
       CASE WHEN pg_temp.h(i, 605) % 10 = 0 THEN NULL   -- ~10% ongoing, no end date
            ELSE sd + (ARRAY[7, 10, 14, 30, 90, 180, 365])[1 + (pg_temp.h(i, 606) % 7)::int] END,
       (pg_temp.h(i, 607) % 6)::int,
       sd::timestamp AT TIME ZONE 'UTC' + (8 * 3600 + pg_temp.h(i, 608) % (10 * 3600)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_rx) AS i,
     LATERAL (SELECT 1 + (pg_temp.h(i, 603) % cardinality(pg_temp.words('meds')))::int AS m,
                     date '2022-01-01' + (pg_temp.h(i, 609) % 730)::int AS sd) AS p;

-- Values spread from 20% of the reference width below the range to 20% above it, so about
-- 2 in 7 results are flagged abnormal.
INSERT INTO lab_results (result_id, patient_id, provider_id, test_name, result_value, unit,
                         reference_range, abnormal, collected_at, created_at)
SELECT i,
       1 + pg_temp.h(i, 701) % g.n_pat,
       1 + pg_temp.h(i, 702) % g.n_prov,
       (pg_temp.words('tests'))[t],
       v,
       (pg_temp.words('test_units'))[t],
       lo || '-' || hi,
       v < lo OR v > hi,
       ca,
       ca + (3600 + pg_temp.h(i, 704) % (48 * 3600)) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_lab) AS i,
     LATERAL (SELECT 1 + (pg_temp.h(i, 703) % cardinality(pg_temp.words('tests')))::int AS t) AS lt,
     LATERAL (SELECT (pg_temp.words('test_low'))[t]::numeric AS lo,
                     (pg_temp.words('test_high'))[t]::numeric AS hi) AS rr,
     LATERAL (SELECT round(lo + (hi - lo) * ((pg_temp.h(i, 705) % 1401) - 200) / 1000.0, 2) AS v,
                     timestamptz '2024-01-01 00:00:00+00'
                       - (pg_temp.h(i, 706) % (3 * 365 * 86400)) * interval '1 second' AS ca) AS lv;

-- Historic audit trail, one row every ~30 s during 2023 onward; load_id stays NULL (it is only
-- for rows written by the load generator).
INSERT INTO audit_log (log_id, actor, action, context, created_at)
SELECT i,
       pg_temp.pick(pg_temp.words('actors'), i, 801),
       pg_temp.pick(pg_temp.words('actions'), i, 802),
       jsonb_build_object('patient_id', 1 + pg_temp.h(i, 803) % g.n_pat,
                          'ip', '10.0.' || (pg_temp.h(i, 804) % 256) || '.' || (1 + pg_temp.h(i, 805) % 254),
                          'source', 'seed'),
       timestamptz '2023-01-01 00:00:00+00' + (i * 30 + pg_temp.h(i, 806) % 30) * interval '1 second'
FROM gen_params g, generate_series(1, g.n_audit) AS i;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM gen_fks ORDER BY tbl::text, conname LOOP
    EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
  END LOOP;
END $$;

-- Explicit ids bypassed the identity sequences; move them past the data (setval(NULL) on an
-- empty table is a no-op, leaving the sequence at 1).
SELECT setval(pg_get_serial_sequence('medical_facilities', 'facility_id'), (SELECT max(facility_id) FROM medical_facilities)),
       setval(pg_get_serial_sequence('healthcare_providers', 'provider_id'), (SELECT max(provider_id) FROM healthcare_providers)),
       setval(pg_get_serial_sequence('patients', 'patient_id'), (SELECT max(patient_id) FROM patients)),
       setval(pg_get_serial_sequence('appointments', 'appointment_id'), (SELECT max(appointment_id) FROM appointments)),
       setval(pg_get_serial_sequence('medical_records', 'record_id'), (SELECT max(record_id) FROM medical_records)),
       setval(pg_get_serial_sequence('prescriptions', 'prescription_id'), (SELECT max(prescription_id) FROM prescriptions)),
       setval(pg_get_serial_sequence('lab_results', 'result_id'), (SELECT max(result_id) FROM lab_results)),
       setval(pg_get_serial_sequence('audit_log', 'log_id'), (SELECT max(log_id) FROM audit_log));

-- Marker written in the same transaction as the data, so it exists only if the data does.
INSERT INTO lab_meta (key, value) SELECT 'test_data_scale', scale::text FROM gen_params;

-- Temp functions would otherwise live until the session ends (the loader may reuse it).
DROP FUNCTION pg_temp.words(text);
DROP FUNCTION pg_temp.pick(text[], bigint, integer);
DROP FUNCTION pg_temp.h(bigint, integer);

COMMIT;

-- Fresh statistics so the first queries after the load get sane plans. Tables named explicitly:
-- a bare ANALYZE run by a non-owner warns about every system catalog.
ANALYZE medical_facilities, healthcare_providers, patients, appointments, medical_records,
        prescriptions, lab_results, audit_log, lab_meta;
