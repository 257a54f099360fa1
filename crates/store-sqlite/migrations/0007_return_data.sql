-- Return data (data balikan, SPEC.md §5): the schemas partners fill, the
-- batches they came in, and the rows, attached to the resident by NIK (the
-- register holds NIKs). A batch is written while `pending` and its rows are
-- read only once it is `committed`, so an all-or-nothing file of any size
-- is never half visible; an aborted or crashed batch is deleted whole.

create table return_schemas (
    name text primary key,
    body text not null
);

create table return_batches (
    id text primary key,
    institution text not null references institutions (code),
    schema_name text not null,
    user_id text not null,
    method text not null check (method in ('upload', 'form', 'web_service')),
    mode text not null check (mode in ('all', 'rows')),
    filename text,
    received_at_us integer not null,
    state text not null check (state in ('pending', 'committed')),
    rows_read integer not null default 0,
    accepted integer not null default 0,
    already_sent integer not null default 0,
    rejected integer not null default 0
);
create index return_batches_by_institution on return_batches (institution, received_at_us);

-- One row per (partner, schema, resident, values): a resubmitted row hits
-- this key and is reported "sudah pernah dikirim" instead of stored twice.
create table return_rows (
    batch_id text not null references return_batches (id),
    institution text not null,
    schema_name text not null,
    nik integer not null,
    digest blob not null,
    row_number integer not null,
    body text not null,
    unique (institution, schema_name, nik, digest)
);
create index return_rows_by_nik on return_rows (nik);
create index return_rows_by_batch on return_rows (batch_id, row_number);
