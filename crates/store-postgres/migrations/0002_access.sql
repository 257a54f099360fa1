-- The access plane: installation secret, control plane, daily quota
-- counters and usage, and the hash-chained audit trail.

-- The NIK-hashing secret is inserted by the program after migrating (drawn
-- from the operating system's generator), not here: core PostgreSQL has no
-- function returning 32 random bytes without the pgcrypto extension.
create table installation (
    name  text  primary key,
    value bytea not null
);

create table control_version (
    id      integer primary key check (id = 1),
    version bigint  not null
);
insert into control_version (id, version) values (1, 0);

create table providers (
    code        text primary key,
    name        text not null,
    level       text not null check (level in ('national', 'regional')),
    region_code bigint
);

create table institutions (
    code        text    primary key,
    provider    text    not null references providers (code),
    name        text    not null,
    instansi    text,
    customer_id bigint  unique,
    active      boolean not null
);
-- The wire name INSTANSI is matched without regard to case.
create unique index institutions_by_instansi on institutions (lower(instansi));

-- Addenda, termination, scope and obligations are JSON documents (text)
-- written and read only through gerbang-core's types.
create table agreements (
    id              text primary key,
    institution     text not null references institutions (code),
    provider_number text not null,
    partner_number  text not null,
    signed_on       date not null,
    valid_from      date not null,
    valid_until     date not null,
    addenda         text not null,
    termination     text,
    scope           text not null,
    return_schema   text,
    obligations     text not null
);

create table accounts (
    user_id        text    primary key,
    holder         text    not null,
    role           text    not null check (role in ('service', 'operator', 'provider_admin')),
    password_hash  text    not null,
    token_hash     text    unique,
    active         boolean not null,
    daily_quota    bigint  not null,
    quota_approval text
);

-- user_id is '' for a rule of the whole institution.
create table networks (
    institution text not null references institutions (code),
    user_id     text not null,
    network     text not null,
    primary key (institution, user_id, network)
);

-- Hits charged per account and Jakarta day, by charge_quota: the counter
-- every node increments atomically, so the daily limit holds cluster-wide.
create table quota_counters (
    user_id text   not null,
    day     date   not null,
    used    bigint not null check (used >= 0),
    primary key (user_id, day)
);

-- Charged audit records per account and Jakarta day, kept by append_audit
-- in the same transaction as the records.
create table quota_usage (
    user_id text   not null,
    day     date   not null,
    used    bigint not null,
    primary key (user_id, day)
);

create table audit_trail (
    seq          bigint      primary key,
    operation_id text        not null,
    at           timestamptz not null,
    interface    text        not null,
    institution  text,
    user_id      text,
    source_ip    text        not null,
    mechanism    text,
    resident     bytea,
    elements     text        not null,
    outcome      text        not null,
    latency_us   bigint      not null,
    charged      boolean     not null,
    prev_hash    bytea       not null,
    hash         bytea       not null
);
create index audit_by_resident on audit_trail (resident, institution) where resident is not null;
create index audit_by_institution on audit_trail (institution, at);
