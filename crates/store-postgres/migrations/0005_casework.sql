-- The registry's casework: the document-facilitation queue (SPEC.md §9)
-- and the outbox of notifications a mailer drains (obligation reminders).

-- A case is a JSON document written and read only through gerbang-core's
-- facilitation::Case; the columns beside it serve the queue's filters and
-- the rule that one person has one open case per partner and document.
create table facilitation_cases (
    number      bigint generated always as identity primary key,
    institution text   not null references institutions (code),
    status      text   not null,
    subject_key text   not null,
    body        text   not null
);
create unique index facilitation_open_subject on facilitation_cases (subject_key)
    where status not in ('issued', 'rejected');
create index facilitation_by_institution on facilitation_cases (institution, number);
create index facilitation_by_status on facilitation_cases (status, number);

-- A notification is queued once per key; `sent_at` is set when delivered.
create table notifications (
    id          bigint      generated always as identity primary key,
    key         text        not null unique,
    queued_at   timestamptz not null,
    institution text        not null,
    audience    text        not null check (audience in ('partner', 'registry')),
    subject     text        not null,
    body        text        not null,
    attempts    integer     not null default 0,
    last_error  text,
    sent_at     timestamptz
);
create index notifications_undelivered on notifications (id) where sent_at is null;
