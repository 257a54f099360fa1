-- The audit file: the hash-chained audit trail and the daily quota usage it
-- carries, kept apart from the register so that the register's pages stay
-- cached in every reader while records are appended (a commit to a file
-- makes that file's readers drop their page cache), and written with smaller
-- pages (4 KiB: fewer bytes in the write-ahead log per commit).
-- Every name is qualified: this file is attached as `audit`.

create table audit.identity (
    id integer primary key check (id = 1),
    token blob not null
);

create table audit.audit_trail (
    seq integer primary key,
    operation_id text not null,
    at_us integer not null,
    interface text not null,
    institution text,
    user_id text,
    source_ip text not null,
    mechanism text,
    resident blob,
    elements text not null,
    outcome text not null,
    latency_us integer not null,
    charged integer not null,
    prev_hash blob not null,
    hash blob not null
);
create index audit.audit_by_resident on audit_trail (resident, institution) where resident is not null;
create index audit.audit_by_institution on audit_trail (institution, at_us);

create table audit.quota_usage (
    user_id text not null,
    day text not null,
    used integer not null,
    primary key (user_id, day)
) without rowid;
