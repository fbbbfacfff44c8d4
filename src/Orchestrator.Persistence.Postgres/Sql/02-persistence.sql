-- Grain state: one row per service, state name (stored as the grain type string) and grain key. The version is
-- the ETag: every write names the version it read and moves it on by one; a mismatch returns no row, which the
-- provider turns into an InconsistentStateException.
--
-- Unlike Orleans' own script, the row identity is a unique index. Without it, two activations of one grain (a
-- brief overlap after a silo failure) that both write a first state can both pass a "WHERE NOT EXISTS" check
-- and insert twice; the next read then finds two rows. With it, the second insert waits for the first to commit
-- and then inserts nothing, so the second writer gets the version conflict it should. Its cost: a key longer
-- than a B-tree entry allows (about 2.7 kB for all identity columns together) cannot be stored.
CREATE TABLE IF NOT EXISTS orleansstorage (
    grainidhash            integer      NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    graintypehash          integer      NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidextensionstring varchar(512),
    serviceid              varchar(150) NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamptz  NOT NULL,
    version                integer      NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS orleansstorage_identity ON orleansstorage
    (grainidhash, graintypehash, serviceid, graintypestring, grainidn0, grainidn1, coalesce(grainidextensionstring, ''));

-- Writes a state. With a version, only the row at that version is updated (optimistic concurrency); without
-- one, the row is created only if it does not exist. Returns the new version, or no row on a conflict.
CREATE OR REPLACE FUNCTION orleans_write_state(
    p_grainidhash integer, p_grainidn0 bigint, p_grainidn1 bigint, p_graintypehash integer, p_graintypestring text,
    p_grainidextensionstring text, p_serviceid text, p_version integer, p_payload bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql AS $fn$
BEGIN
    IF p_version IS NULL THEN
        RETURN QUERY
        INSERT INTO orleansstorage AS s (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                         grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES (p_grainidhash, p_grainidn0, p_grainidn1, p_graintypehash, p_graintypestring,
                p_grainidextensionstring, p_serviceid, p_payload, clock_timestamp(), 1)
        ON CONFLICT DO NOTHING
        RETURNING s.version;
    ELSE
        RETURN QUERY
        UPDATE orleansstorage AS s
           SET payloadbinary = p_payload, modifiedon = clock_timestamp(), version = s.version + 1
         WHERE s.grainidhash = p_grainidhash AND s.graintypehash = p_graintypehash AND s.serviceid = p_serviceid
           AND s.graintypestring = p_graintypestring AND s.grainidn0 = p_grainidn0 AND s.grainidn1 = p_grainidn1
           AND s.grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
           AND s.version = p_version
        RETURNING s.version;
    END IF;
END
$fn$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('WriteToStorageKey',
 'SELECT newgrainstateversion AS "NewGrainStateVersion"
    FROM orleans_write_state(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                             @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)'),
('ReadFromStorageKey',
 'SELECT payloadbinary AS "PayloadBinary", modifiedon AS "ModifiedOn", version AS "Version"
    FROM orleansstorage
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND serviceid = @ServiceId
     AND graintypestring = @GrainTypeString AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
     AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)'),
('ClearStorageKey',
 'UPDATE orleansstorage
     SET payloadbinary = NULL, modifiedon = clock_timestamp(), version = version + 1
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND serviceid = @ServiceId
     AND graintypestring = @GrainTypeString AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
     AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
     AND version = @GrainStateVersion
  RETURNING version AS "NewGrainStateVersion"'),
('DeleteStorageKey',
 'DELETE FROM orleansstorage
   WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash AND serviceid = @ServiceId
     AND graintypestring = @GrainTypeString AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
     AND grainidextensionstring IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS text)
     AND version = @GrainStateVersion
  RETURNING version + 1 AS "NewGrainStateVersion"')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext
    WHERE orleansquery.querytext IS DISTINCT FROM excluded.querytext;
