-- Retention: one row per run that removed records from the start of the
-- trail (and one for a copied trail that began after removed records). The
-- newest row's link is where the stored chain now begins: `audit verify`
-- starts from it, and the chain goes on from it once every record is gone.
-- Every name is qualified: this file is attached as `audit`.

create table audit.audit_retention (
    last_seq integer primary key,
    last_hash blob not null,
    before text not null,
    records integer not null,
    removed_at text not null default (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
