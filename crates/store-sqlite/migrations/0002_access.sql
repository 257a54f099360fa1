-- The access plane: installation secret, control plane, daily quota usage
-- and the hash-chained audit trail.

create table installation (
    name text primary key,
    value blob not null
);
-- SQLite's randomblob() draws from its OS-seeded cryptographic generator.
insert into installation (name, value) values ('nik_key', randomblob(32));

create table control_version (
    id integer primary key check (id = 1),
    version integer not null
);
insert into control_version (id, version) values (1, 0);

create table providers (
    code text primary key,
    name text not null,
    level text not null check (level in ('national', 'regional')),
    region_code integer
);

create table institutions (
    code text primary key,
    provider text not null references providers (code),
    name text not null,
    instansi text unique collate nocase,
    customer_id integer unique,
    active integer not null
);

-- Addenda, termination, scope and obligations are JSON documents written and
-- read only through gerbang-core's types.
create table agreements (
    id text primary key,
    institution text not null references institutions (code),
    provider_number text not null,
    partner_number text not null,
    signed_on text not null,
    valid_from text not null,
    valid_until text not null,
    addenda text not null,
    termination text,
    scope text not null,
    return_schema text,
    obligations text not null
);

create table accounts (
    user_id text primary key,
    holder text not null,
    role text not null check (role in ('service', 'operator', 'provider_admin')),
    password_hash text not null,
    token_hash text unique,
    active integer not null,
    daily_quota integer not null,
    quota_approval text
);

-- user_id is '' for a rule of the whole institution.
create table networks (
    institution text not null references institutions (code),
    user_id text not null,
    network text not null,
    primary key (institution, user_id, network)
) without rowid;

create table quota_usage (
    user_id text not null,
    day text not null,
    used integer not null,
    primary key (user_id, day)
) without rowid;

create table audit_trail (
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
create index audit_by_resident on audit_trail (resident, institution) where resident is not null;
create index audit_by_institution on audit_trail (institution, at_us);
