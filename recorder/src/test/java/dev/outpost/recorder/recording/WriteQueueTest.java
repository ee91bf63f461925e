package dev.outpost.recorder.recording;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteQueueTest {
    @Test
    void pastTheBoundPicturesAreDroppedUntilAKeyframeThatFits() throws InterruptedException {
        WriteQueue queue = new WriteQueue(5000);
        assertThat(queue.offer(TestVideo.picture(0, 10, 2000))).isEqualTo(WriteQueue.Offer.QUEUED);
        assertThat(queue.offer(TestVideo.picture(1, 10, 2000))).isEqualTo(WriteQueue.Offer.QUEUED);
        assertThat(queue.offer(TestVideo.picture(2, 10, 2000))).isEqualTo(WriteQueue.Offer.STARTED_DROPPING);
        assertThat(queue.offer(TestVideo.picture(3, 10, 10))).isEqualTo(WriteQueue.Offer.DROPPED); // fits, no key
        assertThat(queue.offer(TestVideo.picture(10, 10, 2000))).isEqualTo(WriteQueue.Offer.DROPPED); // key, no room
        assertThat(queue.take().event()).isInstanceOf(WriteQueue.Picture.class);
        assertThat(queue.offer(TestVideo.picture(11, 10, 10))).isEqualTo(WriteQueue.Offer.DROPPED);
        assertThat(queue.offer(TestVideo.picture(20, 10, 2000))).isEqualTo(WriteQueue.Offer.QUEUED);
        assertThat(queue.dropped()).isEqualTo(4);

        assertThat(queue.take().event()).isInstanceOf(WriteQueue.Picture.class);
        WriteQueue.Taken stop = queue.take();
        assertThat(stop.event()).isEqualTo(new WriteQueue.Stop(WriteQueue.FALLING_BEHIND, false, false));
        WriteQueue.Taken last = queue.take();
        assertThat(((WriteQueue.Picture) last.event()).unit().pts90k()).isEqualTo(TestVideo.picture(20, 10).pts90k());
        assertThat(last.caughtUp()).isTrue();
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void afterCloseNothingIsQueued() {
        WriteQueue queue = new WriteQueue(5000);
        queue.offerControl(new WriteQueue.Stop("recording stopped", false, true));
        assertThat(queue.offer(TestVideo.picture(0, 10))).isEqualTo(WriteQueue.Offer.CLOSED);
    }
}
