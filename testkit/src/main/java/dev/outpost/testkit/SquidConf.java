package dev.outpost.testkit;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The squid.conf of one private {@link Squid}: CONNECT-only on 127.0.0.1, no cache, every file in its own directory.
 *
 * <p>Directive order matters to squid: {@code auth_param} must precede a {@code proxy_auth} acl, and every acl must
 * precede the {@code access_log} and {@code http_access} lines that name it.
 */
record SquidConf(Path dir, String host, int port, Set<Integer> connectPorts, Optional<Path> passwords, boolean dropToProxy,
                 java.util.Map<String, String> hosts) {

    /** The readiness probe CONNECTs to this port; its lines are kept out of the access log. */
    static final int PROBE_PORT = 1;

    static final Path BASIC_NCSA_AUTH = Path.of("/usr/lib/squid/basic_ncsa_auth");

    SquidConf {
        connectPorts = Set.copyOf(connectPorts);
        hosts = java.util.Map.copyOf(hosts);
        for (Path path : passwords.map(p -> Set.of(dir, p)).orElse(Set.of(dir))) {
            // squid.conf has no quoting: a path with blanks would be split into two tokens.
            if (path.toString().chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("squid cannot use a path with blanks: " + path
                        + " (set java.io.tmpdir to a directory without blanks)");
            }
        }
    }

    Path file() {
        return dir.resolve("squid.conf");
    }

    Path accessLog() {
        return dir.resolve("access.log");
    }

    Path cacheLog() {
        return dir.resolve("cache.log");
    }

    /** Names only squid can resolve: a test's way of giving a host no route but through the proxy. */
    Path hostsFile() {
        return dir.resolve("hosts");
    }

    String renderHosts() {
        var lines = new StringBuilder();
        new java.util.TreeMap<>(hosts).forEach((name, address) -> lines.append(address).append(' ').append(name).append('\n'));
        return lines.toString();
    }

    Path pidFile() {
        return dir.resolve("squid.pid");
    }

    String render() {
        var conf = new StringBuilder();
        conf.append("# Written by dev.outpost.testkit.Squid for one test; deleted when it closes.\n");
        conf.append("http_port ").append(host).append(':').append(port).append('\n');
        conf.append("visible_hostname outpost-test\n");
        if (dropToProxy) {
            // Started as root, squid switches to this user before opening its logs.
            conf.append("cache_effective_user proxy\n");
        }
        conf.append("cache deny all\n");
        conf.append("pid_filename ").append(pidFile()).append('\n');
        conf.append("cache_log ").append(cacheLog()).append('\n');
        conf.append("cache_store_log none\n");
        conf.append("logfile_rotate 0\n");
        // Unbuffered stdio: each access line reaches the file as its transaction ends.
        conf.append("buffered_logs off\n");
        conf.append("shutdown_lifetime 0 seconds\n");
        // A CONNECT to an IP literal needs no DNS; a host name must not hang a test for long.
        conf.append("dns_timeout 5 seconds\n");
        if (!hosts.isEmpty()) {
            conf.append("hosts_file ").append(hostsFile()).append('\n');
        }
        // The pinger is a setuid ICMP helper: nothing here needs it.
        conf.append("pinger_enable off\n");
        passwords.ifPresent(file -> {
            conf.append("auth_param basic program ").append(BASIC_NCSA_AUTH).append(' ').append(file).append('\n');
            conf.append("auth_param basic realm outpost-test\n");
            conf.append("auth_param basic children 2 startup=1 idle=1\n");
        });
        conf.append("acl outpost_probe port ").append(PROBE_PORT).append('\n');
        conf.append("acl outpost_connect method CONNECT\n");
        conf.append("acl outpost_ports port ").append(new TreeSet<>(connectPorts).stream()
                .map(String::valueOf).collect(Collectors.joining(" "))).append('\n');
        if (passwords.isPresent()) {
            conf.append("acl outpost_users proxy_auth REQUIRED\n");
        }
        conf.append("access_log stdio:").append(accessLog()).append(" squid !outpost_probe\n");
        // Port checks come before authentication, so a forbidden port gets 403 with or without credentials.
        conf.append("http_access deny !outpost_connect\n");
        conf.append("http_access deny !outpost_ports\n");
        String allowed = passwords.isPresent() ? "outpost_users" : "outpost_connect";
        conf.append("http_access allow ").append(allowed).append('\n');
        conf.append("http_access deny all\n");
        return conf.toString();
    }
}
