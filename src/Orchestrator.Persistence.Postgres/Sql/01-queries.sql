-- The catalog every Orleans ADO.NET provider reads when it starts ("SELECT QueryKey, QueryText FROM OrleansQuery"):
-- one row per stored query, looked up by key. A provider refuses to start when one of its keys is missing.
-- The later scripts add their keys with an upsert that only rewrites a row whose text changed.
CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
