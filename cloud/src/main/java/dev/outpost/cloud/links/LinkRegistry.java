package dev.outpost.cloud.links;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The recorders whose links this cloud node holds now, by recorder id. */
public final class LinkRegistry {
    private final ConcurrentHashMap<String, RecorderLink> links = new ConcurrentHashMap<>();
    private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.Consumer<RecorderLink>> upListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Tells {@code listener} of every link registered from now on (on the link's event loop: it must not block). */
    public void onLinkUp(java.util.function.Consumer<RecorderLink> listener) {
        upListeners.add(listener);
    }

    /** Registers a new link; an older link of the same recorder (a reconnect racing a dying link) is closed. */
    void register(RecorderLink link) {
        RecorderLink previous = links.put(link.recorderId(), link);
        if (previous != null && previous != link) {
            previous.close();
        }
        upListeners.forEach(listener -> listener.accept(link));
    }

    /** Forgets a link that closed, unless a newer link of the same recorder already replaced it. */
    boolean unregister(RecorderLink link) {
        return links.remove(link.recorderId(), link);
    }

    public Optional<RecorderLink> find(String recorderId) {
        RecorderLink link = links.get(recorderId);
        return link != null && link.isActive() ? Optional.of(link) : Optional.empty();
    }

    public boolean isOnline(String recorderId) {
        return find(recorderId).isPresent();
    }

    /** Closes the recorder's link if this node holds it (revocation). */
    public void disconnect(String recorderId) {
        RecorderLink link = links.get(recorderId);
        if (link != null) {
            link.close();
        }
    }

    public int size() {
        return links.size();
    }

    public Collection<RecorderLink> all() {
        return List.copyOf(links.values());
    }
}
