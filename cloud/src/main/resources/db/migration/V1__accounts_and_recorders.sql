-- The cloud's first schema. One dialect for PostgreSQL and for H2 in PostgreSQL mode: plain types,
-- no expression or partial indexes. Secrets are never stored, only their SHA-256 as lowercase hex.

create table organizations (
    id varchar(40) primary key,
    name varchar(200) not null,
    -- true for the organization made at first start, whose admins create the others; null for all
    -- others (a unique column admits many nulls), so two racing first starts cannot both found one.
    founding boolean unique check (founding),
    created_at timestamp with time zone not null
);

create table users (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    -- stored lowercase, so uniqueness ignores case
    email varchar(320) not null unique,
    -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    password_hash varchar(300) not null,
    role varchar(16) not null check (role in ('admin', 'installer', 'viewer')),
    created_at timestamp with time zone not null
);
create index users_organization on users (organization_id);

create table sessions (
    token_hash varchar(64) primary key,
    user_id varchar(40) not null references users (id) on delete cascade,
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    last_used_at timestamp with time zone not null
);
create index sessions_user on sessions (user_id);
create index sessions_expiry on sessions (expires_at);

create table recorders (
    id varchar(40) primary key,
    organization_id varchar(40) not null references organizations (id),
    name varchar(200) not null,
    credential_hash varchar(64) not null,
    created_at timestamp with time zone not null,
    revoked_at timestamp with time zone,
    -- what the cloud saw of the last link
    last_online_at timestamp with time zone,
    last_offline_at timestamp with time zone,
    public_address varchar(100),
    transport varchar(20),
    via_proxy boolean not null default false,
    software varchar(200)
);
create index recorders_organization on recorders (organization_id);

create table activation_codes (
    -- the code's first group, which names it; the rest of the code is never stored
    id varchar(5) primary key,
    organization_id varchar(40) not null references organizations (id),
    recorder_name varchar(200) not null,
    -- ActivationCode.proofKey(), hex: what both sides derive from the code
    proof_key varchar(64) not null,
    created_by varchar(40) not null references users (id),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    used_at timestamp with time zone,
    recorder_id varchar(40) references recorders (id)
);
