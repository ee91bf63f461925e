/**
 * Sample cameras: realistic H.264 without a camera, for {@code outpost demo} and tests.
 *
 * <p>Each sample camera has a main stream (2560x1440, 4 Mb/s) and a sub stream (704x576, 800 kb/s), both 15 fps
 * with a keyframe every 30 pictures and no B-frames, as typical cameras send. {@link
 * dev.outpost.recorder.samples.SampleEncoder} draws moving pictures with Java2D and encodes them with FFmpeg's
 * openh264 (bytedeco JavaCV) once; {@link dev.outpost.recorder.samples.SampleVideo} keeps the clip in a cache
 * directory (written to a temporary file, then renamed) and splits it into access units; {@link
 * dev.outpost.recorder.samples.SampleStream} plays it to its sinks in a loop on an event loop, presentation times
 * growing by the clip's length each time round. Making the 4MP clip takes about 10 s of one core, the D1 clip
 * about 2 s; later runs read the cache. So many cameras share the clips of a few ({@link
 * dev.outpost.recorder.samples.SampleCameras#clipOf}: camera N plays clip ((N - 1) % clips) + 1; each camera has its
 * own clip up to the 16th by default), and a shared clip is held in memory once.
 */
package dev.outpost.recorder.samples;
