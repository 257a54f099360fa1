-- Rows of a return-data batch still being received wait here, apart from
-- return_rows, until their batch commits. In return_rows they already held
-- the once-only key, so the rows of an intake that crashed stood in the way
-- of the same file sent again: reported "sudah pernah dikirim", never
-- stored, and lost when the crashed batch was purged a day later.
create table return_rows_pending (
    batch_id text not null references return_batches (id),
    institution text not null,
    schema_name text not null,
    nik bigint not null,
    digest bytea not null,
    row_number bigint not null,
    body text not null,
    primary key (batch_id, nik, digest)
);

-- Pending batches at this point belong to intakes that are no longer
-- running (the server is stopped to migrate): their rows were never visible.
delete from return_rows where batch_id in (select id from return_batches where state = 'pending');
delete from return_batches where state = 'pending';
