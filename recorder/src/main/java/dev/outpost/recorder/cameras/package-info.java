/**
 * Cameras: each configured {@link dev.outpost.recorder.cameras.Camera} keeps its main (HD) and sub (SD)
 * {@link dev.outpost.recorder.cameras.CameraStream} playing and hands their H.264 access units, untouched,
 * to {@link dev.outpost.recorder.cameras.VideoSink}s (recording, live, snapshots).
 *
 * <p>Decisions a reader would otherwise have to reconstruct:
 * <ul>
 * <li><b>One event loop per stream.</b> Connection, RTP, depacketizer, sinks and timers of a stream all run on
 *     one loop of the group, so nothing in the path from socket to sink takes a lock. Sinks never block.
 * <li><b>Transport.</b> {@code AUTO} asks for RTP interleaved on the RTSP connection (one TCP connection, no
 *     loss, through any firewall) and takes UDP only when the camera answers SETUP with 461 Unsupported
 *     Transport (RFC 2326 section 12.39); {@code TCP} and {@code UDP} force one. Over UDP the recorder binds an
 *     even port and the next, takes datagrams from the camera's address only, and puts packets back in order
 *     in a bounded buffer (64 packets, 50 ms) before the depacketizer, which handles what is still missing
 *     (drops the damaged picture, waits for a keyframe when a reference was lost). RTCP is not sent: the
 *     session is kept alive with GET_PARAMETER at half the session timeout, as cameras expect.
 * <li><b>Capture time.</b> Each picture's wall-clock capture time comes from the camera's RTCP sender reports
 *     (RFC 3550 section 6.4.1, read from the odd interleaved channel or the RTCP port): the latest report of the
 *     video's SSRC ties an RTP timestamp to the camera's NTP time, and pictures are placed along that line, so
 *     they carry neither the encoding and network delay nor the jitter of big keyframes. Until a report comes,
 *     or while the camera's clock is more than 1 s off ours (its NTP is not set; the status shows the offset and
 *     the log says so once), capture time is arrival. See {@link dev.outpost.media.rtp.SenderReportClock}.
 * <li><b>A session per attempt.</b> Every reconnection is a new RTSP session with a new depacketizer, seeded
 *     again from the SDP. Presentation times stay monotonic across sessions: the first picture of a new
 *     session gets the last pts plus the wall-clock gap (at least one picture interval), see
 *     {@code PtsTimeline}; sinks are told of the gap by {@code onInterruption} and see {@code onFormat}
 *     again only if the parameter sets changed.
 * <li><b>Failures and retries.</b> Every failure is put in plain words (authentication refused, not found,
 *     unreachable, timeout, not H.264, connection lost) in the status and the log. Retries go on forever with
 *     exponential backoff and jitter (a delay between half and all of 1 s, 2 s, 4 s ... 30 s); a session that
 *     played for a minute resets it. A refusal that needs a person (wrong password, wrong path, not H.264)
 *     waits the longest interval at once and shows {@code FAILED}, since cameras lock an account after a few
 *     wrong passwords. A playing stream that sends no RTP for 10 s counts as dead.
 * <li><b>Nothing a camera sends escapes the loop.</b> Malformed RTP, foreign payload types and broken
 *     payloads are counted in {@link dev.outpost.recorder.cameras.CameraStatus}; a sink that throws is logged
 *     and kept; bytes that break RTSP framing end the session, which is retried.
 * <li><b>Cameras change at runtime.</b> {@link dev.outpost.recorder.cameras.CameraSet} owns the running cameras
 *     and saves every change to {@code DATA/cameras.json} before making it. A changed camera's new streams take
 *     its old streams' sinks only once those can call no sink again ({@code CameraStream.whenClosed}), so a sink
 *     never hears two streams of one camera at once; the package knows its sinks only through
 *     {@code CameraSet.Outlets}, so it depends on neither live nor recording.
 * </ul>
 */
package dev.outpost.recorder.cameras;
