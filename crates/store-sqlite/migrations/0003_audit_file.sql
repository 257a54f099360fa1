-- The audit trail and quota usage now live in the audit file (attached as
-- `audit`, see migrations/audit/). Before this runs, the migration's
-- preparation step has copied every record and usage row into that file and
-- given it an identity token; this file remembers the token, so a missing,
-- replaced or foreign audit file is refused instead of silently starting a
-- new trail.

create table audit_file (
    id integer primary key check (id = 1),
    token blob not null
);
insert into audit_file (id, token) select id, token from audit.identity;

drop table main.audit_trail;
drop table main.quota_usage;
