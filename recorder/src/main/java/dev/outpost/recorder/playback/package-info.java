/**
 * Search playback: recorded video read back from a stream's segments as one fMP4 stream, from the keyframe at or
 * before the requested time, on a continuous timeline at the requested speed (docs/video.md, "Playback").
 */
package dev.outpost.recorder.playback;
