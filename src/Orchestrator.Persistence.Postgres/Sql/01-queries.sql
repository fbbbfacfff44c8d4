-- The catalog Orleans' ADO.NET providers read at start-up: one row per stored query, looked up by key.
CREATE TABLE IF NOT EXISTS orleansquery (
    querykey  varchar(64)   NOT NULL PRIMARY KEY,
    querytext varchar(8000) NOT NULL
);
