-- Residents' biometric enrolments (SPEC.md §2, §4.5, §4.6), kept with the
-- register they belong to: one face per resident (the photo as received
-- and its 128-value embedding, 512 bytes of little-endian f32) and, per
-- finger, its impressions as ISO/IEC 19794-2 templates.

create table faces (
    nik         bigint      primary key references residents (nik),
    embedding   bytea       not null check (octet_length(embedding) = 512),
    photo       bytea       not null,
    media_type  text        not null,
    enrolled_at timestamptz not null,
    enrolled_by text        not null
);

-- Finger positions of ISO/IEC 19794-2: 1 right thumb … 10 left little.
-- Impressions are numbered from 1 within their finger; re-enrolling a
-- finger replaces all of them.
create table fingerprint_impressions (
    nik         bigint      not null references residents (nik),
    finger      smallint    not null check (finger between 1 and 10),
    impression  smallint    not null check (impression >= 1),
    template    bytea       not null,
    enrolled_at timestamptz not null,
    enrolled_by text        not null,
    primary key (nik, finger, impression)
);
