package dev.outpost.client.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.wire.p2p.IceCandidateView;
import dev.outpost.wire.p2p.P2pCandidates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ViewerTrickleTest {
    private static final String SESSION = "0123456789abcdef0123456789abcdef";
    private static final IceCandidateView EARLY = new IceCandidateView("srflx", "203.0.113.12", 50000, 1694498815L, "2");
    private static final IceCandidateView LATE = new IceCandidateView("srflx", "203.0.113.13", 50001, 1694498814L, "3");

    private final BlockingQueue<String> posted = new LinkedBlockingQueue<>();
    private final ViewerTrickle trickle = new ViewerTrickle((session, candidates) -> posted.add(describe(session, candidates)));

    @Test
    void whatIsFoundBeforeTheOfferGoesInItAndTheRestIsPostedOnceTheSessionExists() throws Exception {
        trickle.found(List.of(EARLY));
        assertThat(trickle.forOffer(1, Duration.ofSeconds(5))).containsExactly(EARLY);

        trickle.found(List.of(LATE)); // between the offer and the answer: held
        assertThat(posted).isEmpty();
        trickle.started(SESSION);
        assertThat(posted.poll(5, TimeUnit.SECONDS)).isEqualTo(SESSION + " [203.0.113.13] complete=false");

        trickle.found(List.of()); // the end of gathering, said once
        assertThat(posted.poll(5, TimeUnit.SECONDS)).isEqualTo(SESSION + " [] complete=true");
    }

    @Test
    void theOfferWaitsOnlyUpToItsBoundAndNotAtAllOnceGatheringIsOver() throws Exception {
        assertThat(trickle.forOffer(1, Duration.ofMillis(50))).isEmpty(); // STUN silent: the offer goes without

        trickle.found(List.of());
        assertThat(trickle.forOffer(1, Duration.ofDays(1))).isEmpty(); // returns at once: nothing more will come
        trickle.started(SESSION);
        assertThat(posted.poll(5, TimeUnit.SECONDS)).isEqualTo(SESSION + " [] complete=true");
    }

    private static String describe(String session, P2pCandidates candidates) {
        return session + " " + candidates.candidates().stream().map(IceCandidateView::address).toList()
                + " complete=" + candidates.complete();
    }
}
