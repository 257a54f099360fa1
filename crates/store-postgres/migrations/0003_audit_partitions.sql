-- The audit trail, partitioned by month so that retention is dropping a
-- partition instead of deleting billions of rows.
--
-- Each record is filed under a `month` (the first day of a month in
-- Asia/Jakarta): the month of its time, or the month of the record before
-- it if that is later. Records are sealed in the order they reach the
-- writer, not strictly in time order, so a request that started at
-- 23:59:59.9 on the last day of a month can be sealed after one from the
-- next month; filing it under the later month keeps every month one
-- unbroken stretch of the chain, and dropping the oldest months removes
-- exactly a prefix of it.
--
-- The primary key is (month, seq): a partitioned table's unique keys must
-- contain the partition key, and it finds the tail of the chain in the
-- newest partition alone. Sequence numbers are handed out under the
-- chain's advisory lock, and `gerbang audit verify` reports any repeated
-- or missing one; `audit_by_seq` serves its walk in sequence order.

alter table audit_trail rename to audit_trail_unpartitioned;
alter table audit_trail_unpartitioned rename constraint audit_trail_pkey to audit_trail_unpartitioned_pkey;
drop index audit_by_resident;
drop index audit_by_institution;

create table audit_trail (
    seq          bigint      not null,
    operation_id text        not null,
    at           timestamptz not null,
    interface    text        not null,
    institution  text,
    user_id      text,
    source_ip    text        not null,
    mechanism    text,
    resident     bytea,
    elements     text        not null,
    outcome      text        not null,
    latency_us   bigint      not null,
    charged      boolean     not null,
    prev_hash    bytea       not null,
    hash         bytea       not null,
    month        date        not null check (extract(day from month) = 1),
    primary key (month, seq)
) partition by range (month);
create index audit_by_seq on audit_trail (seq);
create index audit_by_resident on audit_trail (resident, institution) where resident is not null;
create index audit_by_institution on audit_trail (institution, at);

-- Creates the partition of the month holding `of_month`, unless it exists:
-- audit_trail_YYYY_MM, for values from its first day to the next month's.
create function audit_partition(of_month date) returns void
language plpgsql as $$
declare
    first date := date_trunc('month', of_month)::date;
begin
    execute format(
        'create table if not exists %I partition of audit_trail for values from (%L) to (%L)',
        'audit_trail_' || to_char(first, 'YYYY_MM'), first, (first + interval '1 month')::date);
end $$;

-- The months that have a partition, oldest first.
create function audit_partition_months() returns setof date
language sql stable as $$
    select to_date(substring(child.relname from '^audit_trail_(\d{4}_\d{2})$'), 'YYYY_MM') as month
      from pg_inherits
      join pg_class child on child.oid = pg_inherits.inhrelid
     where pg_inherits.inhparent = 'audit_trail'::regclass
     order by 1
$$;

-- Drops the partition of one month (retention).
create function audit_drop_partition(of_month date) returns void
language plpgsql as $$
begin
    execute format('drop table if exists %I', 'audit_trail_' || to_char(of_month, 'YYYY_MM'));
end $$;

-- One row per retention run that removed records: the months before
-- `before` were dropped, and the last removed link is where the stored
-- chain now begins (`audit verify` starts from the newest row).
create table audit_retention (
    last_seq   bigint      primary key,
    last_hash  bytea       not null,
    last_month date        not null,
    before     date        not null,
    records    bigint      not null,
    removed_at timestamptz not null
);

-- Move the existing trail over: every month it touches gets its partition,
-- and each record its month as defined above (a running maximum).
select audit_partition(month)
  from (select distinct date_trunc('month', at at time zone 'Asia/Jakarta')::date as month
          from audit_trail_unpartitioned) months;
insert into audit_trail
select seq, operation_id, at, interface, institution, user_id, source_ip, mechanism, resident, elements,
       outcome, latency_us, charged, prev_hash, hash,
       max(date_trunc('month', at at time zone 'Asia/Jakarta')::date) over (order by seq)
  from audit_trail_unpartitioned;
drop table audit_trail_unpartitioned;
