package dev.outpost.recorder.live;

import static dev.outpost.recorder.live.LiveTestVideo.FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.OTHER_FORMAT;
import static dev.outpost.recorder.live.LiveTestVideo.picture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.media.mp4.BoxReader;
import dev.outpost.media.mp4.Fragment;
import dev.outpost.media.mp4.Sample;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveHubTest {
    private static final int GOP = 30;
    private final LiveHub hub = new LiveHub("cam-1/hd");
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseChannels() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void aNewViewerStartsWithTheInitSegmentAndTheCachedGopThenFollowsLive() {
        hub.onFormat(FORMAT);
        feed(0, 40);
        EmbeddedChannel channel = attach(hub.subscribe(), new EmbeddedChannel());
        ChannelCapture capture = new ChannelCapture().drain(channel);

        Fmp4Check first = Fmp4Check.of(capture.bytes());
        assertThat(BoxReader.readInitSegment(capture.bytes()).format().width()).isEqualTo(704);
        assertThat(first.pictures()).isEqualTo(range(30, 40));
        assertThat(first.fragments().getFirst().samples().getFirst().sync()).isTrue();

        for (int i = 40; i < 100; i++) {
            hub.onAccessUnit(picture(i, GOP));
            capture.drain(channel);
        }
        Fmp4Check all = Fmp4Check.of(capture.bytes());
        assertThat(all.pictures()).isEqualTo(range(30, 100));
        assertThat(all.jumps()).isZero();
        assertThat(all.initSegments()).isEqualTo(1);
        // Live pictures go out one fragment each, as soon as they come; decode times follow the camera's clock.
        List<Fragment> live = all.fragments().subList(first.fragments().size(), all.fragments().size());
        assertThat(live).hasSize(60).allSatisfy(f -> assertThat(f.samples()).hasSize(1));
        assertThat(live.getLast().baseMediaDecodeTime()).isEqualTo(69L * LiveTestVideo.STEP_15FPS);
        assertThat(live.getLast().producerReferenceTime().orElseThrow().wallClockMicros())
                .isEqualTo(picture(99, GOP).captureMicros());
        assertThat(hub.stats().bytesSent()).isEqualTo(capture.bytes().length);
    }

    @Test
    void aViewerWhoJoinsBeforeTheFirstKeyframeWaitsForIt() {
        EmbeddedChannel channel = attach(hub.subscribe(), new EmbeddedChannel());
        hub.onFormat(FORMAT);
        feed(25, 35);
        ChannelCapture capture = new ChannelCapture().drain(channel);
        assertThat(Fmp4Check.of(capture.bytes()).pictures()).isEqualTo(range(30, 35));
    }

    @Test
    void aSlowViewerSkipsToTheNextKeyframeWithBoundedMemoryWhileAFastOneGetsEverything() {
        LiveViewer.Limits limits = new LiveViewer.Limits(Duration.ofSeconds(2), 256 * 1024, 240);
        LiveHub bounded = new LiveHub("cam-1/hd", GopCache.Limits.DEFAULT, limits);
        bounded.onFormat(FORMAT);
        StallableChannel slowChannel = new StallableChannel();
        LiveViewer slow = bounded.subscribe();
        attach(slow, slowChannel);
        EmbeddedChannel fastChannel = attach(bounded.subscribe(), new StallableChannel());
        ChannelCapture slowCapture = new ChannelCapture();
        ChannelCapture fastCapture = new ChannelCapture();

        int keyframeBytes = 20_000;
        int otherBytes = 3_000;
        long maxFragment = 64 * 1024; // one batch of this stream's pictures, with its boxes
        slowChannel.stall();
        for (int i = 0; i < 10_000; i++) {
            bounded.onAccessUnit(picture(i, GOP, keyframeBytes, otherBytes));
            slowCapture.drain(slowChannel);
            fastCapture.drain(fastChannel);
            LiveViewer.Stats s = slow.stats();
            assertThat(s.queuedBytes()).isLessThanOrEqualTo(limits.maxQueuedBytes());
            assertThat(slowChannel.pendingBytes()).isLessThanOrEqualTo(StallableChannel.HIGH_WATER + maxFragment);
            if (i % 1000 == 999) {
                slowChannel.resume(); // the link takes what waited, then stalls again
                slowCapture.drain(slowChannel);
                slowChannel.stall();
            }
        }
        slowChannel.resume();
        slowCapture.drain(slowChannel);
        // The link recovers: the slow viewer is live again from the next keyframe at the latest.
        for (int i = 10_000; i < 10_060; i++) {
            bounded.onAccessUnit(picture(i, GOP, keyframeBytes, otherBytes));
            slowCapture.drain(slowChannel);
            fastCapture.drain(fastChannel);
        }

        LiveViewer.Stats s = slow.stats();
        // 2 s at 15 fps is 30 pictures: beyond that the queue is dropped, so at most 31 ever wait.
        assertThat(s.highWaterPictures()).isLessThanOrEqualTo(31);
        assertThat(s.highWaterBytes()).isLessThanOrEqualTo(limits.maxQueuedBytes());
        assertThat(s.skips()).isGreaterThanOrEqualTo(10);
        assertThat(s.queuedPictures()).isZero();
        Fmp4Check slowOutput = Fmp4Check.of(slowCapture.bytes());
        assertThat(slowOutput.jumps()).isPositive();
        assertThat(slowOutput.pictures()).endsWith(range(10_020, 10_060).toArray(Integer[]::new));
        assertThat(s.droppedPictures() + slowOutput.pictures().size()).isEqualTo(10_060);

        Fmp4Check fastOutput = Fmp4Check.of(fastCapture.bytes());
        assertThat(fastOutput.pictures()).isEqualTo(range(0, 10_060));
        assertThat(fastChannel.isWritable()).isTrue();
        assertThat(bounded.stats().skips()).isEqualTo(s.skips());
        assertThat(bounded.stats().bytesSent())
                .isEqualTo(slowCapture.bytes().length + (long) fastCapture.bytes().length);
    }

    @Test
    void aViewerTooSlowForLongStaysBoundedAndResumesOnAKeyframe() {
        LiveViewer.Limits limits = new LiveViewer.Limits(Duration.ofMillis(500), 64 * 1024, 240);
        LiveHub bounded = new LiveHub("cam-1/sd", GopCache.Limits.DEFAULT, limits);
        bounded.onFormat(FORMAT);
        StallableChannel channel = new StallableChannel();
        LiveViewer viewer = bounded.subscribe();
        attach(viewer, channel);
        channel.stall();
        ChannelCapture capture = new ChannelCapture();
        for (int i = 0; i < 10_000; i++) {
            bounded.onAccessUnit(picture(i, GOP, 8_000, 1_000));
            capture.drain(channel);
            assertThat(viewer.stats().queuedPictures()).isLessThanOrEqualTo(9); // 0.5 s at 15 fps, and the new one
            assertThat(channel.pendingBytes()).isLessThanOrEqualTo(StallableChannel.HIGH_WATER + 64 * 1024);
        }
        channel.resume();
        capture.drain(channel);
        Fmp4Check output = Fmp4Check.of(capture.bytes());
        assertThat(output.pictures().size()).isLessThan(100);
        assertThat(viewer.stats().skips()).isGreaterThan(300);
    }

    @Test
    void manyViewersShareOneHubAndEachStartsOnAKeyframe() {
        hub.onFormat(FORMAT);
        List<EmbeddedChannel> viewers = new ArrayList<>();
        List<ChannelCapture> captures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i % 6 == 3) {
                viewers.add(attach(hub.subscribe(), new EmbeddedChannel()));
                captures.add(new ChannelCapture());
            }
            hub.onAccessUnit(picture(i, GOP));
            for (int v = 0; v < viewers.size(); v++) {
                captures.get(v).drain(viewers.get(v));
            }
        }
        assertThat(hub.stats().viewers()).isEqualTo(50);
        for (int v = 0; v < viewers.size(); v++) {
            int joined = v * 6 + 3;
            int start = joined / GOP * GOP;
            Fmp4Check output = Fmp4Check.of(captures.get(v).bytes());
            assertThat(output.pictures()).as("viewer %d", v).isEqualTo(range(start, 300));
        }
        assertThat(hub.stats().picturesIn()).isEqualTo(300);
    }

    @Test
    void closingAViewerOrItsChannelReleasesEverything() {
        hub.onFormat(FORMAT);
        feed(0, 10, 20_000, 3_000);
        StallableChannel stalled = new StallableChannel();
        stalled.stall();
        LiveViewer first = hub.subscribe();
        attach(first, stalled);
        LiveViewer second = hub.subscribe();
        EmbeddedChannel open = attach(second, new EmbeddedChannel());
        feed(10, 35, 20_000, 3_000);
        stalled.runPendingTasks();
        assertThat(stalled.pendingBytes()).isPositive();
        assertThat(first.stats().queuedPictures()).isPositive();
        assertThat(hub.stats().viewers()).isEqualTo(2);

        stalled.close(); // the viewer hung up: what Netty held is released (leak detection is paranoid)
        assertThat(hub.stats().viewers()).isEqualTo(1);
        assertThat(first.stats().queuedPictures()).isZero();
        assertThat(first.stats().queuedBytes()).isZero();

        second.close();
        assertThat(hub.stats().viewers()).isZero();
        feed(35, 45);
        open.runPendingTasks();
        new ChannelCapture().drain(open);
        assertThat(second.stats().queuedPictures()).isZero();
        assertThat(hub.stats().skips()).isEqualTo(first.stats().skips() + second.stats().skips());
    }

    @Test
    void afterAnInterruptionTheViewerStaysAndContinuesAtTheNextKeyframeWithoutATimeGap() {
        hub.onFormat(FORMAT);
        feed(0, 20);
        EmbeddedChannel channel = attach(hub.subscribe(), new EmbeddedChannel());
        ChannelCapture capture = new ChannelCapture().drain(channel);
        hub.onInterruption("camera went away");
        // The camera comes back with its clock restarted and a few pictures before its keyframe.
        long restart = -LiveTestVideo.PTS_BASE - 1000L * LiveTestVideo.STEP_15FPS;
        for (int i = 1075; i < 1095; i++) {
            var p = picture(i, GOP);
            hub.onAccessUnit(new dev.outpost.media.h264.AccessUnit(p.pts90k() + restart, p.captureMicros(),
                    p.keyframe(), p.avcc()));
            capture.drain(channel);
        }
        Fmp4Check output = Fmp4Check.of(capture.bytes()); // checks decode times run on without a gap
        List<Integer> expected = new ArrayList<>(range(0, 20));
        expected.addAll(range(1080, 1095));
        assertThat(output.pictures()).isEqualTo(expected);
        assertThat(output.fragments().getLast().baseMediaDecodeTime()).isEqualTo(34L * LiveTestVideo.STEP_15FPS);

        EmbeddedChannel late = attach(hub.subscribe(), new EmbeddedChannel());
        assertThat(Fmp4Check.of(new ChannelCapture().drain(late).bytes()).pictures()).isEqualTo(range(1080, 1095));
    }

    @Test
    void aNewFormatSendsANewInitSegmentAndContinuesAtItsFirstKeyframe() {
        hub.onFormat(FORMAT);
        feed(0, 10);
        EmbeddedChannel channel = attach(hub.subscribe(), new EmbeddedChannel());
        ChannelCapture capture = new ChannelCapture().drain(channel);
        hub.onFormat(FORMAT); // the same parameter sets again: nothing changes
        feed(10, 15, channel, capture);
        hub.onFormat(OTHER_FORMAT);
        feed(15, 45, channel, capture);
        Fmp4Check output = Fmp4Check.of(capture.bytes());
        assertThat(output.initSegments()).isEqualTo(2);
        List<Integer> expected = new ArrayList<>(range(0, 15));
        expected.addAll(range(30, 45));
        assertThat(output.pictures()).isEqualTo(expected);
        byte[] bytes = capture.bytes();
        var moovs = BoxReader.boxes(bytes).stream().filter(b -> b.type().equals("moov")).toList();
        byte[] second = java.util.Arrays.copyOfRange(bytes, (int) moovs.get(1).offset(), bytes.length);
        assertThat(BoxReader.readInitSegment(second).format().width()).isEqualTo(352);
    }

    @Test
    void closingTheHubEndsEveryResponse() {
        hub.onFormat(FORMAT);
        feed(0, 5);
        LiveViewer viewer = hub.subscribe();
        EmbeddedChannel channel = attach(viewer, new EmbeddedChannel());
        hub.close();
        ChannelCapture capture = new ChannelCapture().drain(channel);
        assertThat(capture.ended()).isTrue();
        assertThat(Fmp4Check.of(capture.bytes()).pictures()).isEqualTo(range(0, 5));
        assertThat(hub.stats().viewers()).isZero();
        EmbeddedChannel late = attach(hub.subscribe(), new EmbeddedChannel());
        assertThat(new ChannelCapture().drain(late).ended()).isTrue();
    }

    @Test
    void rawFramingWritesByteBufsAndClosesAtTheEnd() {
        hub.onFormat(FORMAT);
        feed(0, 5);
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        LiveChannelWriter.attach(channel, hub.subscribe(), LiveChannelWriter.Framing.RAW);
        channel.runPendingTasks();
        Object first = channel.readOutbound();
        assertThat(first).isInstanceOf(io.netty.buffer.ByteBuf.class);
        io.netty.util.ReferenceCountUtil.release(first);
        hub.close();
        new ChannelCapture().drain(channel);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPictureTheWriterRefusesEndsThatResponseAndLeavesTheHub() {
        hub.onFormat(FORMAT);
        feed(0, 5);
        EmbeddedChannel channel = attach(hub.subscribe(), new EmbeddedChannel());
        new ChannelCapture().drain(channel);
        var p = picture(5, GOP);
        hub.onAccessUnit(new dev.outpost.media.h264.AccessUnit(p.pts90k(), 5_000_000_000_000_000L, false,
                p.avcc())); // 2128: past what a prft holds
        new ChannelCapture().drain(channel);
        assertThat(channel.isOpen()).isFalse();
        assertThat(hub.stats().viewers()).isZero();
    }

    @Test
    void perViewerCountersShowEachQueuesHighWaterMark() {
        hub.onFormat(FORMAT);
        feed(0, 12);
        LiveViewer viewer = hub.subscribe();
        feed(12, 15);
        assertThat(hub.viewerStats()).singleElement().satisfies(s -> {
            assertThat(s.highWaterPictures()).isEqualTo(15);
            assertThat(s.queuedPictures()).isEqualTo(15);
            assertThat(s.bytesSent()).isZero();
        });
        viewer.poll(); // the init segment
        viewer.poll(); // the keyframe, alone
        viewer.poll(); // the other 14
        assertThat(viewer.stats().queuedPictures()).isZero();
        assertThat(viewer.stats().highWaterPictures()).isEqualTo(15);
        assertThat(viewer.stats().fragmentsSent()).isEqualTo(2);
        viewer.close();
    }

    @Test
    void aNewViewersFirstKeyframeComesInAFragmentOfItsOwnSoItShowsAtOnce() {
        hub.onFormat(FORMAT);
        feed(0, 12);
        LiveViewer viewer = hub.subscribe();

        assertThat(BoxReader.readInitSegment(viewer.poll().orElseThrow()).format().width()).isEqualTo(FORMAT.width());
        Fragment first = BoxReader.readFragment(viewer.poll().orElseThrow());
        Fragment rest = BoxReader.readFragment(viewer.poll().orElseThrow());

        assertThat(first.samples()).singleElement().satisfies(sample -> assertThat(sample.sync()).isTrue());
        assertThat(rest.samples()).hasSize(11).noneMatch(Sample::sync);
        assertThat(rest.baseMediaDecodeTime()).isEqualTo(first.endDecodeTime());
        viewer.close();
    }

    private void feed(int from, int to) {
        for (int i = from; i < to; i++) {
            hub.onAccessUnit(picture(i, GOP));
        }
    }

    private void feed(int from, int to, int keyframeBytes, int otherBytes) {
        for (int i = from; i < to; i++) {
            hub.onAccessUnit(picture(i, GOP, keyframeBytes, otherBytes));
        }
    }

    private void feed(int from, int to, EmbeddedChannel channel, ChannelCapture capture) {
        for (int i = from; i < to; i++) {
            hub.onAccessUnit(picture(i, GOP));
            capture.drain(channel);
        }
    }

    private <C extends EmbeddedChannel> C attach(LiveViewer viewer, C channel) {
        channels.add(channel);
        LiveChannelWriter.attach(channel, viewer, LiveChannelWriter.Framing.HTTP);
        return channel;
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
