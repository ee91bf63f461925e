-- Store and forward from recorders (docs/link.md, "Store and forward"), health alerts and who gets them by email.

-- One row per outbox item the cloud stored: the idempotency key makes a resent item a no-op.
create table outbox_receipts (
    recorder_id varchar(40) not null references recorders (id) on delete cascade,
    item_key varchar(64) not null,
    kind varchar(20) not null,
    created_at timestamp with time zone not null,
    received_at timestamp with time zone not null,
    bytes bigint not null,
    primary key (recorder_id, item_key)
);

create table alerts (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    recorder_id varchar(40) not null references recorders (id) on delete cascade,
    item_key varchar(64) not null,
    type varchar(40) not null,
    camera_id varchar(64) not null,
    message varchar(1000) not null,
    occurred_at timestamp with time zone not null,
    received_at timestamp with time zone not null,
    down_seconds bigint not null,
    -- the object store's key of the alert's image; null without one
    image_key varchar(300),
    image_bytes bigint not null default 0
);
create index alerts_organization_time on alerts (organization_id, occurred_at);
create index alerts_recorder_time on alerts (recorder_id, occurred_at);

-- Who gets which alerts by email: types is '*' or a comma-separated list; recorder_id null for every recorder.
create table alert_rules (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    email varchar(320) not null,
    types varchar(400) not null,
    recorder_id varchar(40) references recorders (id) on delete cascade,
    created_at timestamp with time zone not null
);
create index alert_rules_organization on alert_rules (organization_id);

-- Emails to send, written in the same transaction as their alert, so an alert stored is an alert mailed.
create table alert_emails (
    id varchar(40) primary key,
    alert_id varchar(40) not null references alerts (id) on delete cascade,
    email varchar(320) not null,
    state varchar(10) not null check (state in ('pending', 'sent', 'failed')),
    attempts int not null default 0,
    next_attempt_at timestamp with time zone not null,
    sent_at timestamp with time zone,
    last_error varchar(1000),
    unique (alert_id, email)
);
create index alert_emails_due on alert_emails (state, next_attempt_at);

-- Day/night images: one picture per camera at configured times of day; the JPEG is in the object store.
create table camera_images (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    recorder_id varchar(40) not null references recorders (id) on delete cascade,
    item_key varchar(64) not null,
    camera_id varchar(64) not null,
    slot varchar(5) not null,
    taken_at timestamp with time zone not null,
    received_at timestamp with time zone not null,
    width int not null,
    height int not null,
    object_key varchar(300) not null,
    bytes bigint not null
);
create index camera_images_recorder_time on camera_images (recorder_id, taken_at);
create index camera_images_organization_time on camera_images (organization_id, taken_at);
