/**
 * Fragmented MP4 for one H.264 track, without transcoding (ISO/IEC 14496-12, CMAF per ISO/IEC 23000-19):
 * {@link dev.outpost.media.mp4.Fmp4Writer} writes an init segment and fragments from access units,
 * {@link dev.outpost.media.mp4.BoxReader} reads them back, bounded, for tests and for rebuilding the recording index.
 * Values ({@link dev.outpost.media.mp4.Fragment}, {@link dev.outpost.media.mp4.Sample},
 * {@link dev.outpost.media.mp4.ProducerReferenceTime}, {@link dev.outpost.media.mp4.InitSegment}) sit between the two.
 */
package dev.outpost.media.mp4;
