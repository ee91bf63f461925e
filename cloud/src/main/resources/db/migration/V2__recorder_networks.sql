-- Connection paths (docs/paths.md): each recorder's Remote Network Settings, and where it last said it serves
-- its API on its own network. A recorder without a settings row has the defaults (LAN Smart Forwarding on,
-- no extra ranges, no Direct Connect).

create table recorder_network_settings (
    recorder_id varchar(40) primary key references recorders (id),
    lan_forwarding boolean not null,
    -- CIDR ranges, comma-separated, each checked before it is stored
    same_site_ranges varchar(2000) not null,
    direct_host varchar(253),
    direct_port integer,
    direct_scheme varchar(5),
    updated_at timestamp with time zone not null
);

create table recorder_local_endpoints (
    recorder_id varchar(40) primary key references recorders (id),
    -- IP literals, comma-separated, best first
    addresses varchar(1000) not null,
    port integer not null,
    scheme varchar(5) not null,
    reported_at timestamp with time zone not null
);
