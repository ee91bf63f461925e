package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.h264.AccessUnit;
import dev.outpost.media.h264.StreamFormat;
import org.junit.jupiter.api.Test;

class SinkFanoutTest {
    private static final StreamFormat FORMAT = new StreamFormat(new byte[] {0x67, 0x42, 0x00, 0x1e}, new byte[] {0x68},
            704, 576);
    private static final AccessUnit PICTURE = new AccessUnit(0, 0, true, new byte[] {0, 0, 0, 1, 0x65});

    /** A sink whose every call throws, as a broken consumer would. */
    private static final class Broken implements VideoSink {
        int calls;

        @Override
        public void onFormat(StreamFormat format) {
            calls++;
            throw new IllegalStateException("broken sink");
        }

        @Override
        public void onAccessUnit(AccessUnit unit) {
            calls++;
            throw new IllegalStateException("broken sink");
        }

        @Override
        public void onInterruption(String reason) {
            calls++;
            throw new IllegalStateException("broken sink");
        }
    }

    @Test
    void aSinkThatThrowsNeitherStopsTheOthersNorIsDropped() {
        SinkFanout fanout = new SinkFanout("test stream");
        Broken broken = new Broken();
        CollectingSink after = new CollectingSink();
        fanout.add(broken);
        fanout.add(after);

        fanout.onFormat(FORMAT);
        fanout.onAccessUnit(PICTURE);
        fanout.onInterruption("camera gone");

        assertThat(after.formats).containsExactly(FORMAT);
        assertThat(after.units).containsExactly(PICTURE);
        assertThat(after.interruptions).containsExactly("camera gone");
        assertThat(broken.calls).isEqualTo(3);
    }

    @Test
    void aSinkAddedLaterHearsTheFormatFirstAndARemovedOneNothingMore() {
        SinkFanout fanout = new SinkFanout("test stream");
        CollectingSink early = new CollectingSink();
        fanout.add(early);
        fanout.onFormat(FORMAT);
        CollectingSink late = new CollectingSink();
        fanout.add(late);
        fanout.remove(early);

        fanout.onAccessUnit(PICTURE);

        assertThat(late.formats).containsExactly(FORMAT);
        assertThat(late.units).containsExactly(PICTURE);
        assertThat(late.unitBeforeFormat).isFalse();
        assertThat(early.units).isEmpty();
        assertThat(fanout.format()).contains(FORMAT);
    }
}
