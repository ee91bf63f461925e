/**
 * Continuous recording: each camera stream's {@link dev.outpost.recorder.recording.RecordingSink} (a
 * {@link dev.outpost.recorder.cameras.VideoSink}) writes its access units, unchanged, to fMP4 segment files
 * {@code root/{cameraId}/{hd|sd}/{yyyy-MM-dd}/{startMillis}.mp4}; a
 * {@link dev.outpost.recorder.recording.RecordingIndex}
 * per stream maps wall-clock time to segments and gaps; {@link dev.outpost.recorder.recording.Retention} keeps a
 * recording root within its byte and age limits.
 *
 * <p>Decisions a reader would otherwise have to reconstruct:
 * <ul>
 * <li><b>Never block the camera.</b> The sink's calls only append to a queue bounded by bytes (32 MiB by default,
 *     30 s at 8 Mbit/s) and return. A picture that does not fit is dropped, and so is every picture after it until a
 *     keyframe that fits: a counted drop ({@code droppedPictures}), the state {@code FALLING_BEHIND} until the writer
 *     has emptied the queue after a keyframe was taken again, and a gap in the timeline ("recorder falling behind"),
 *     since the writer closes the segment at the drop and the next one starts fresh at that keyframe.
 * <li><b>One writer per stream,</b> a virtual thread: it first rebuilds the index from disk, then drains the queue.
 *     A slow or failing disk for one stream (or one recording root) never stalls another.
 * <li><b>Segments and fragments follow the stream's clock, not the recorder's.</b> A segment starts on a keyframe
 *     and a new one at the first keyframe 60 s of pts after it began, and at a format change (new SPS/PPS: a new init
 *     segment) or after an interruption or drop. A fragment is cut when it holds 1 s of pts, and at every keyframe,
 *     so the pictures since a keyframe are never more than one fragment. Decode times are the camera's pts
 *     ({@code tfdt}); {@code prft} before each fragment carries the capture wall clock of its first picture, which
 *     the index reads back.
 * <li><b>Durability: at most ~1 s lost on a crash.</b> Each fragment is one {@code write} followed by
 *     {@code FileChannel.force(false)} (fdatasync); the day's directory is forced once when a segment file is
 *     created. Pictures of the fragment being gathered (under 1 s) are only in memory. An fdatasync a second per
 *     stream is cheap next to the video's own bandwidth.
 * <li><b>Rebuild on start.</b> The writer walks its stream's directory. A segment closed cleanly has a line in its
 *     day's {@code segments.idx} (name, start, end, bytes; appended and forced at close), trusted while the file keeps
 *     that size, so a month of history costs one small read per day. Any other segment is scanned: its box headers
 *     (seeking past {@code mdat}, a few hundred small reads a minute of video), then the init segment and the first
 *     and last complete fragments, parsed with the bounded {@link dev.outpost.media.mp4.BoxReader}. A file cut by a
 *     crash is truncated to its last complete fragment and kept; a file without an init segment or a complete
 *     fragment is renamed {@code .corrupt} with a log line. Nothing in a rebuild throws.
 * <li><b>Gaps.</b> A hole of more than 2 s between segments is a gap. Its reason is what stopped the recording
 *     before it: "camera offline: ..." ({@code onInterruption}), "recorder falling behind: ...", "recording failed:
 *     ...", "recording stopped"; reasons are kept in memory only, so after a restart holes between old segments are
 *     "not recorded", and the hole from the last segment before the restart to the first after it is
 *     "recorder down". Pictures that resume more than 2 s of pts after the last one, with no interruption said,
 *     also end the segment ("camera offline: no pictures for ... ms") rather than hold one picture for seconds.
 * <li><b>Failures are a status, per stream.</b> A directory that cannot be created, a file that cannot be written,
 *     a full disk: the stream's {@link dev.outpost.recorder.recording.RecordingStatus} turns {@code FAILED} with a
 *     message that says what to check, logged once per distinct message; the open segment is abandoned (cut back to
 *     its last complete fragment) and the writer tries again at the next keyframe. "No space left on device", and a
 *     new segment on a disk with less than 256 MiB usable, make retention free at least 5 % of what is recorded.
 *     A picture whose pts is not after the previous one is skipped; any other unexpected error while writing ends
 *     the segment with the status {@code FAILED} ("internal error ...") and the writer goes on at the next keyframe.
 * <li><b>Retention</b> deletes whole segments, oldest start first across every stream of a root, until the total is
 *     under the byte limit and nothing ended before the age limit; a segment being written is never deleted. Empty
 *     day directories go with their last segment.
 * </ul>
 */
package dev.outpost.recorder.recording;
