-- Residents' one-time codes for their access history (transparency for
-- residents): at most one code per resident, who is held by the keyed NIK
-- hash the audit trail files them under, never by NIK. The code itself is
-- never stored, only its keyed digest. Times are microseconds since the
-- Unix epoch, as elsewhere in this file.

create table resident_codes (
    resident       blob    primary key check (length(resident) = 32),
    digest         blob    not null check (length(digest) = 32),
    issued_at_us   integer not null,
    issued_by      text    not null,
    wrong_attempts integer not null check (wrong_attempts >= 0),
    used_at_us     integer
);
