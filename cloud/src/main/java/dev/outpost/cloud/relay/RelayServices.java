package dev.outpost.cloud.relay;

import dev.outpost.cloud.grants.GrantIssuer;
import dev.outpost.cloud.links.LinkRegistry;
import java.time.Duration;
import java.util.concurrent.Executor;

/** What every relayed request needs from the cloud. */
public record RelayServices(LinkRegistry links, RelayAccess access, GrantIssuer grants, Executor blocking,
                            Duration responseTimeout) {
}
