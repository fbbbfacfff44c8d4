-- Cluster membership: one version row per deployment (the table's etag) and one row per silo incarnation.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable (
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT clock_timestamp(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable (
    deploymentid varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer,
    suspecttimes varchar(8000),
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Moves the deployment's table version on, if it is still p_version (the etag check of every membership write).
CREATE OR REPLACE FUNCTION orleans_bump_membership_version(p_deploymentid text, p_version integer)
RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
    UPDATE orleansmembershipversiontable
       SET version = version + 1, timestamp = clock_timestamp()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    RETURN FOUND;
END
$fn$;

-- Adds a silo row if the table is still at p_version; the version moves on with it. False changes nothing.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deploymentid text, p_address text, p_port integer, p_generation integer, p_siloname text, p_hostname text,
    p_status integer, p_proxyport integer, p_starttime timestamptz, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT orleans_bump_membership_version(p_deploymentid, p_version) THEN
        RETURN false;
    END IF;
    INSERT INTO orleansmembershiptable (deploymentid, address, port, generation, siloname, hostname, status,
                                        proxyport, starttime, iamalivetime)
    VALUES (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status,
            p_proxyport, p_starttime, p_iamalivetime);
    RETURN true;
EXCEPTION WHEN unique_violation THEN
    -- the block's changes, the version bump included, are rolled back
    RETURN false;
END
$fn$;

-- Changes a silo row if the table is still at p_version; the version moves on with it. False changes nothing.
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deploymentid text, p_address text, p_port integer, p_generation integer, p_status integer,
    p_suspecttimes text, p_iamalivetime timestamptz, p_version integer)
RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NOT orleans_bump_membership_version(p_deploymentid, p_version) THEN
        RETURN false;
    END IF;
    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no membership row' USING ERRCODE = 'no_data_found';
    END IF;
    RETURN true;
EXCEPTION WHEN no_data_found THEN
    RETURN false;
END
$fn$;

-- Query texts are dollar-quoted, so quotes inside them need no doubling. Every membership write names the table
-- version (ETag) it read; heartbeats (UpdateIAmAlivetimeKey) touch only the silo's own row and leave the version
-- alone, as Orleans 10.4 expects. The status values are Orleans' SiloStatus: 3 = Active, 6 = Dead.
INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
  WITH inserted AS (
      INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
      ON CONFLICT DO NOTHING RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM inserted)$q$),
('InsertMembershipKey', $q$
  SELECT orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                   @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)$q$),
('UpdateMembershipKey', $q$
  SELECT orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status,
                                   @SuspectTimes, @IAmAliveTime, @Version)$q$),
('UpdateIAmAlivetimeKey', $q$
  UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
   WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation$q$),
('MembershipReadRowKey', $q$
  SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
         m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m
      ON m.deploymentid = v.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
   WHERE v.deploymentid = @DeploymentId$q$),
('MembershipReadAllKey', $q$
  SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
         m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime"
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
   WHERE v.deploymentid = @DeploymentId$q$),
('GatewaysQueryKey', $q$
  SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
    FROM orleansmembershiptable
   WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0$q$),
('DeleteMembershipTableEntriesKey', $q$
  DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
  DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId$q$),
-- The bulk cleanup a provider uses when the per-row key below is absent: dead silos quiet since before the cut-off.
('CleanupDefunctSiloEntriesKey', $q$
  DELETE FROM orleansmembershiptable
   WHERE deploymentid = @DeploymentId AND status = 6
     AND iamalivetime < @IAmAliveTime AND starttime < @IAmAliveTime$q$),
-- Orleans 10.4's per-row cleanup: the provider reads the table, picks dead rows whose start, heartbeat and
-- suspicions all precede the cut-off, and deletes each only if it is still exactly as read (status, times and
-- suspicions), so a row changed meanwhile survives. The table version is not moved: a dead row is not a vote.
('CleanupDefunctSiloEntryKey', $q$
  DELETE FROM orleansmembershiptable
   WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
     AND status = 6 AND starttime = @StartTime AND iamalivetime = @IAmAliveTime
     AND coalesce(suspecttimes, '') = coalesce(CAST(@SuspectTimes AS text), '')$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext
    WHERE orleansquery.querytext IS DISTINCT FROM excluded.querytext;
