-- The partner side of the portal: partner administrators (a new role),
-- operators' NDA dates, the optional TOTP second factor, and the partners'
-- requests to their provider (User IDs, quota raises).

-- SQLite cannot change a CHECK constraint in place: the accounts table is
-- rebuilt with the new role and columns, keeping every row.
create table accounts_new (
    user_id text primary key,
    holder text not null,
    role text not null check (role in ('service', 'operator', 'provider_admin', 'partner_admin')),
    password_hash text not null,
    token_hash text unique,
    active integer not null,
    daily_quota integer not null,
    quota_approval text,
    nda_on text,
    totp_secret text
);
insert into accounts_new (user_id, holder, role, password_hash, token_hash, active, daily_quota, quota_approval)
    select user_id, holder, role, password_hash, token_hash, active, daily_quota, quota_approval from accounts;
drop table accounts;
alter table accounts_new rename to accounts;

-- The request is a JSON document written and read only through
-- gerbang-core's Request type.
create table requests (
    id text primary key,
    institution text not null references institutions (code),
    body text not null
);
create index requests_by_institution on requests (institution);
