-- Durable reminders: one row per grain and reminder name; the version is the row's etag. Grain ids are wider
-- than Orleans' 150 characters: every unfinished job holds a reminder, and job keys carry a link id and an event id.
CREATE TABLE IF NOT EXISTS orleansreminderstable (
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(1024) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

DO $$
BEGIN
    IF (SELECT character_maximum_length FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'orleansreminderstable' AND column_name = 'grainid') < 1024 THEN
        ALTER TABLE orleansreminderstable ALTER COLUMN grainid TYPE varchar(1024);
    END IF;
END
$$;

CREATE INDEX IF NOT EXISTS orleansreminderstable_hash ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey',
 'INSERT INTO orleansreminderstable AS r (serviceid, grainid, remindername, starttime, period, grainhash, version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
  ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
     SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
         version = r.version + 1
  RETURNING r.version AS "Version"'),
('ReadReminderRowsKey',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period",
         version AS "Version"
    FROM orleansreminderstable WHERE serviceid = @ServiceId AND grainid = @GrainId'),
('ReadReminderRowKey',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period",
         version AS "Version"
    FROM orleansreminderstable
   WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName'),
('ReadRangeRows1Key',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period",
         version AS "Version"
    FROM orleansreminderstable
   WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash'),
('ReadRangeRows2Key',
 'SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period",
         version AS "Version"
    FROM orleansreminderstable
   WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)'),
('DeleteReminderRowKey',
 'WITH deleted AS (
      DELETE FROM orleansreminderstable
       WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
      RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM deleted)'),
('DeleteReminderRowsKey',
 'DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext
    WHERE orleansquery.querytext IS DISTINCT FROM excluded.querytext;
