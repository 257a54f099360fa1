-- Residents' one-time codes for their access history (transparency for
-- residents): at most one code per resident, who is held by the keyed NIK
-- hash the audit trail files them under, never by NIK. The code itself is
-- never stored, only its keyed digest.

create table resident_codes (
    resident       bytea       primary key check (octet_length(resident) = 32),
    digest         bytea       not null check (octet_length(digest) = 32),
    issued_at      timestamptz not null,
    issued_by      text        not null,
    wrong_attempts integer     not null check (wrong_attempts >= 0),
    used_at        timestamptz
);
