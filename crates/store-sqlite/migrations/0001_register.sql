-- The population register: family cards and residents (SPEC.md §2).
-- Codes are the SIAK numeric codes of gerbang_core::vocab; dates are
-- integers yyyymmdd; NIK and NO_KK are their 16-digit numeric values.

create table families (
    no_kk        integer primary key,
    street       text    not null,
    hamlet       text,
    rt           integer not null,
    rw           integer not null,
    village_code integer not null,
    postal_code  integer
);

create table residents (
    nik                  integer primary key,
    no_kk                integer not null references families (no_kk),
    full_name            text    not null,
    sex                  integer not null,
    birth_place          text    not null,
    birth_date           integer not null,
    birth_certificate    text,
    blood_type           integer not null,
    religion             integer not null,
    marital_status       integer not null,
    married_on           integer,
    marriage_certificate text,
    divorced_on          integer,
    divorce_certificate  text,
    education            integer not null,
    occupation           integer not null,
    relationship         integer not null,
    father_nik           integer,
    father_name          text    not null,
    mother_nik           integer,
    mother_name          text    not null,
    ektp_status          integer not null,
    died_on              integer,
    active               integer not null,
    duplicate            integer not null
);

create index residents_by_no_kk on residents (no_kk);
