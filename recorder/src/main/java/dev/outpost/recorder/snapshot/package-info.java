/**
 * Snapshots: a JPEG of one picture of a camera stream, live (from its GOP cache) or recorded, for
 * {@code GET /api/cameras/{id}/snapshot.jpg}. {@link dev.outpost.recorder.snapshot.SnapshotEncoder} decodes the run
 * of access units from a keyframe to the picture wanted with FFmpeg (bytedeco JavaCPP) and writes the last one as a
 * JPEG; the recorder never decodes anything else.
 *
 * <p>Decisions a reader would otherwise have to reconstruct:
 * <ul>
 * <li><b>Blocking, off the event loops.</b> Decoding is CPU-bound native work (about 100 to 200 ms for a 4MP GOP of
 *     30 pictures on two cores). Callers run it on a virtual thread and bound how many run at once, because a
 *     virtual thread in native code pins its carrier.
 * <li><b>Bounded.</b> At most {@value dev.outpost.recorder.snapshot.SnapshotEncoder#MAX_PICTURES} pictures and
 *     {@value dev.outpost.recorder.snapshot.SnapshotEncoder#MAX_SIDE} pixels a side per snapshot; the NAL framing of
 *     every picture is checked before FFmpeg sees it.
 * <li><b>Damage is an answer, not an old picture.</b> If the last picture cannot be decoded, or decodes with
 *     concealed errors, the snapshot fails with a {@link dev.outpost.recorder.snapshot.SnapshotException} that names
 *     the picture, rather than showing an earlier picture or a smeared one as if it were the moment asked for.
 * <li><b>Native memory.</b> Every FFmpeg object is allocated and freed within one call, in {@code finally}.
 * </ul>
 */
package dev.outpost.recorder.snapshot;
