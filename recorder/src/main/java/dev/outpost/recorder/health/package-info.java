/**
 * What the recorder tells the cloud about itself: the {@link dev.outpost.recorder.health.HealthMonitor} turns changes
 * of cameras, recording, disk and link into alerts, and takes day/night images, all as outbox items.
 *
 * <p>Design notes. The monitor polls statuses (every 10 s by default) rather than listening to events: the
 * statuses exist already for the API, a poll sees the same state a user would, and short blips within the camera
 * grace or under the link outage threshold never become alerts. Pictures come from the live GOP cache of the SD
 * stream (no disk reads, a small decode) and are taken on the monitor's one virtual thread, so at most one decode
 * runs for it at a time. A failing disk is found by writing to it ({@code DiskProbe}) rather than by reading kernel
 * logs or SMART data: a write forced to the device fails the same way on every file system, device and platform,
 * whatever broke underneath, and it is what recording needs.
 */
package dev.outpost.recorder.health;
