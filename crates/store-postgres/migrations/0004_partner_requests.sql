-- The partner side of the portal: partner administrators (a new role),
-- operators' NDA dates, the optional TOTP second factor, and the partners'
-- requests to their provider (User IDs, quota raises).

alter table accounts drop constraint accounts_role_check;
alter table accounts add constraint accounts_role_check
    check (role in ('service', 'operator', 'provider_admin', 'partner_admin'));
alter table accounts add column nda_on date;
alter table accounts add column totp_secret text;

-- The request is a JSON document (text) written and read only through
-- gerbang-core's Request type.
create table requests (
    id          text primary key,
    institution text not null references institutions (code),
    body        text not null
);
create index requests_by_institution on requests (institution);
