-- KTP-el card readers and their SAM cards (SPEC.md §6). The SAM record is
-- a JSON document written and read only through gerbang-core's Sam type
-- (as a control-plane write); it holds the key's public half only.
create table sams (
    id text primary key,
    institution text not null references institutions (code),
    body text not null
);
create index sams_by_institution on sams (institution);

-- The replay guard: the highest event counter accepted from each SAM. An
-- event is accepted only with a counter above it, in one statement.
create table sam_counters (
    sam text primary key references sams (id),
    last_counter bigint not null
);
