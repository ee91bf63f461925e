/**
 * Clip exports (docs/api.md, "Clip export"; docs/link.md, "Clips in parts"): a camera's recording over one or more
 * time ranges, decoded, scaled down to 2MP or 4MP and encoded as an H.264 MP4 ({@link
 * dev.outpost.recorder.exports.ClipMaker}), bounded to one export per core ({@link
 * dev.outpost.recorder.exports.ClipExports}), then handed to the outbox, which the cloud empties part by part.
 *
 * <p>Design notes. Exports decode and encode with FFmpeg through JavaCPP (as snapshots do), which pins the virtual
 * thread to its carrier while native code runs; a semaphore of one permit per core keeps exports from taking every
 * carrier, and a bounded queue beyond it refuses more with 429. A clip is written under a temporary name and renamed
 * whole before the outbox copies it, so a crash leaves no half clip anywhere (what is left in {@code DATA/exports}
 * is deleted at start).
 */
package dev.outpost.recorder.exports;
