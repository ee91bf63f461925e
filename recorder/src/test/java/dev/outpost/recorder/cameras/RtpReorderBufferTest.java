package dev.outpost.recorder.cameras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packets over UDP put back in order, within a bounded number and time. */
class RtpReorderBufferTest {
    private static final long HOLD = 50_000_000L;
    private final List<Integer> out = new ArrayList<>();
    private final RtpReorderBuffer buffer = new RtpReorderBuffer(packet -> out.add(packet.sequence()));

    @Test
    void inOrderPacketsPassAtOnce() {
        push(0, 65534, 65535, 0, 1);
        assertThat(out).containsExactly(65534, 65535, 0, 1);
        assertThat(buffer.holding()).isFalse();
    }

    @Test
    void aSwappedPairIsPutBackInOrder() {
        push(0, 10, 12, 11, 13);
        assertThat(out).containsExactly(10, 11, 12, 13);
        assertThat(buffer.reordered()).isEqualTo(1);
    }

    @Test
    void aPacketThatNeverComesIsGivenUpAfterTheHoldTime() {
        push(0, 10, 12, 13);
        assertThat(out).containsExactly(10);
        buffer.expire(HOLD - 1, HOLD);
        assertThat(out).containsExactly(10);
        buffer.expire(HOLD, HOLD);
        assertThat(out).containsExactly(10, 12, 13);
        push(HOLD, 11); // too late now: passed on for the depacketizer to count
        assertThat(out).containsExactly(10, 12, 13, 11);
    }

    @Test
    void aJumpPastTheCapacityFlushesWhatWaits() {
        push(0, 10, 12, 14);
        push(0, 10 + RtpReorderBuffer.CAPACITY + 5);
        assertThat(out).containsExactly(10, 12, 14, 10 + RtpReorderBuffer.CAPACITY + 5);
        assertThat(buffer.holding()).isFalse();
    }

    @Test
    void duplicatesAreCountedOnce() {
        push(0, 10, 12, 12, 11);
        assertThat(out).containsExactly(10, 11, 12);
        assertThat(buffer.duplicates()).isEqualTo(1);
    }

    @Test
    void holdsAtMostItsCapacityAcrossTheWrap() {
        push(0, 65530);
        for (int i = 2; i < RtpReorderBuffer.CAPACITY; i++) {
            push(0, (65530 + i) & 0xFFFF);
        }
        assertThat(out).containsExactly(65530);
        push(0, 65531);
        assertThat(out).hasSize(RtpReorderBuffer.CAPACITY);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i)).isEqualTo((out.get(i - 1) + 1) & 0xFFFF);
        }
    }

    private void push(long now, int... sequences) {
        for (int sequence : sequences) {
            buffer.push(new RtpPacket(false, 96, sequence, 0, 1, new byte[] {0x65}), now);
        }
    }
}
