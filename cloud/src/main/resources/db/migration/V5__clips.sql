-- The clip library (docs/api.md, "Clip export"): clips exported by recorders, stored in the object store.
create table clips (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    recorder_id varchar(40) not null references recorders (id) on delete cascade,
    item_key varchar(64) not null,
    export_id varchar(40) not null,
    camera_id varchar(64) not null,
    starts_at timestamp with time zone not null,
    ends_at timestamp with time zone not null,
    duration_ms bigint not null,
    width integer not null,
    height integer not null,
    bytes bigint not null,
    sha256 varchar(64) not null,
    object_key varchar(300) not null,
    created_at timestamp with time zone not null,
    received_at timestamp with time zone not null
);
create index clips_organization_time on clips (organization_id, starts_at);
create unique index clips_item on clips (recorder_id, item_key);

-- Time-limited links that play a clip without logging in; only the token's SHA-256 is kept.
create table clip_shares (
    token_hash varchar(64) primary key,
    clip_id varchar(40) not null references clips (id) on delete cascade,
    created_by varchar(40) not null,
    expires_at timestamp with time zone not null
);
create index clip_shares_clip on clip_shares (clip_id);
