-- Canary residents and the alerts of the registry's console (issue 8,
-- hardening). A canary is marked by NIK, without a reference to the
-- resident, so clearing or reloading the register keeps the marks. An
-- alert is one per kind, partner and User ID while open; `operations` is a
-- JSON array of operation ids (evidence in the audit trail), never a NIK.
-- Times are microseconds since the Unix epoch, as elsewhere in this file.

create table canaries (
    nik         integer primary key,
    label       text    not null,
    added_at_us integer not null,
    added_by    text    not null
);

create table alerts (
    id              integer primary key,
    kind            text    not null,
    institution     text    not null,
    user_id         text    not null,
    first_us        integer not null,
    last_us         integer not null,
    count           integer not null check (count >= 0),
    detail          text    not null,
    operations      text    not null,
    acknowledged_by text,
    acknowledged_us integer,
    check ((acknowledged_by is null) = (acknowledged_us is null))
);

-- The open alert a sighting may merge into, found by an index walk.
create index alerts_open on alerts (kind, institution, user_id, id) where acknowledged_us is null;
