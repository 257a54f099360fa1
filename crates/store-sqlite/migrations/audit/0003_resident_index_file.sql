-- The by-resident index leaves the audit file for a file of its own
-- (`gerbang.audit-index.sqlite3`), filled after each commit by a thread of
-- its own: keyed by a hash, it added one random page per record to every
-- commit the answers waited for. The new file is built from the trail when
-- the store opens. Every name is qualified: this file is attached as `audit`.

drop index if exists audit.audit_by_resident;
