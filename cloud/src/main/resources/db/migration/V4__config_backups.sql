-- Config backups (docs/link.md, "Config backups").

-- Each organization's key that seals its recorders' camera credentials in stored backups (AES-256-GCM).
create table backup_keys (
    organization_id varchar(40) primary key references organizations (id),
    secret bytea not null
);

create table config_backups (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    recorder_id varchar(40) not null references recorders (id) on delete cascade,
    item_key varchar(64) not null,
    taken_at timestamp with time zone not null,
    received_at timestamp with time zone not null,
    cameras integer not null,
    object_key varchar(300) not null,
    bytes bigint not null
);
create index config_backups_recorder_time on config_backups (recorder_id, taken_at);
