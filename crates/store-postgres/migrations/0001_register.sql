-- The population register: family cards and residents (SPEC.md §2).
-- Codes are the SIAK numeric codes of gerbang_core::vocab (smallint); dates
-- are `date`; NIK and NO_KK are their 16-digit numeric values (bigint).

create table families (
    no_kk        bigint   primary key,
    street       text     not null,
    hamlet       text,
    rt           integer  not null,
    rw           integer  not null,
    village_code bigint   not null,
    postal_code  integer
);

create table residents (
    nik                  bigint   primary key,
    no_kk                bigint   not null references families (no_kk),
    full_name            text     not null,
    sex                  smallint not null,
    birth_place          text     not null,
    birth_date           date     not null,
    birth_certificate    text,
    blood_type           smallint not null,
    religion             smallint not null,
    marital_status       smallint not null,
    married_on           date,
    marriage_certificate text,
    divorced_on          date,
    divorce_certificate  text,
    education            smallint not null,
    occupation           smallint not null,
    relationship         smallint not null,
    father_nik           bigint,
    father_name          text     not null,
    mother_nik           bigint,
    mother_name          text     not null,
    ektp_status          smallint not null,
    died_on              date,
    active               boolean  not null,
    duplicate            boolean  not null
);

create index residents_by_no_kk on residents (no_kk);
