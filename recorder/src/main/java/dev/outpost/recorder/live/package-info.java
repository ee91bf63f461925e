/**
 * Live video: each camera stream's {@link dev.outpost.recorder.live.LiveHub} (a
 * {@link dev.outpost.recorder.cameras.VideoSink}) fans its access units out to
 * {@link dev.outpost.recorder.live.LiveViewer}s as fMP4 (CMAF), which a
 * {@link dev.outpost.recorder.live.LiveChannelWriter} sends down a Netty channel as the body of
 * {@code GET /api/cameras/{id}/live.mp4?stream=hd|sd}. Many viewers of one camera share its one connection.
 *
 * <p>Decisions a reader would otherwise have to reconstruct:
 * <ul>
 * <li><b>Start at once.</b> The hub keeps the stream's current GOP ({@link dev.outpost.recorder.live.GopCache},
 *     bounded: 300 pictures, 8 MiB). A new viewer gets the init segment and that GOP from its keyframe in one burst,
 *     so its first bytes decode; then every live picture, one fragment each as it comes. The burst is old by up to a
 *     GOP: a player should start playing at the live edge of what it buffered (MSE: set {@code currentTime} near
 *     {@code buffered.end(0)} after the first append), which decodes through the GOP quickly. A GOP longer than the
 *     cache keeps its prefix; a viewer then sees that at once and continues live from the next keyframe.
 * <li><b>Bounded latency and memory.</b> Each viewer has a bounded queue of shared, immutable access units
 *     ({@link dev.outpost.recorder.live.LiveViewer.Limits}: 2 s of capture time, 4 MiB, 240 pictures by default).
 *     A picture that would take it past a bound drops everything queued (a counted skip) and the viewer resumes at
 *     the next keyframe. The writer pulls only while the channel is writable, so Netty holds at most the write
 *     buffer's high-water mark plus one fragment for a slow connection (HTTP/2: the stream's flow-control window).
 * <li><b>One timeline per viewer.</b> Fragments are numbered 1, 2, 3... per viewer; decode times start at 0 and run
 *     on without a gap: across a skip, an interruption or a format change the next keyframe is placed exactly where
 *     the previous fragment ended ({@link dev.outpost.recorder.live.LiveTimeline} says why MSE and ffplay need it).
 *     {@code prft} before each fragment carries its capture wall clock, from which a player measures its latency.
 * <li><b>Interruption.</b> Viewers stay connected; what was queued before the break is still sent, then they wait
 *     for the first keyframe after it, which continues their timeline. The GOP cache is emptied (its pictures lead
 *     into the gap).
 * <li><b>Format change</b> (new SPS/PPS): each viewer gets a new init segment ({@code ftyp} + {@code moov}) in its
 *     stream after the pictures of the old format, then pictures from the new format's first keyframe. MSE takes
 *     that as it is (append it to the same SourceBuffer). A demuxer that reads one {@code moov} only (ffmpeg) keeps
 *     the old parameter sets unless the camera repeats them in-band, as most do before each IDR.
 * <li><b>Framing.</b> The router writes the response head ({@code Content-Type: video/mp4}, chunked over HTTP/1.1,
 *     {@code Cache-Control: no-store}); the writer writes {@code HttpContent}s and a {@code LastHttpContent} when the
 *     stream ends (camera removed), so HTTP/1.1 and HTTP/2 stream channels work alike; {@code RAW} writes
 *     {@code ByteBuf}s for byte streams such as QUIC. A closed connection closes its viewer, which leaves the hub.
 * <li><b>Threads.</b> The camera calls the hub on its event loop; viewers join and leave from any thread; one lock
 *     per hub orders them (every picture reaches a viewer exactly once, through the cache or its queue) and nothing
 *     under it blocks: waking a connection is a task on its own event loop, where fragments are made.
 * </ul>
 */
package dev.outpost.recorder.live;
