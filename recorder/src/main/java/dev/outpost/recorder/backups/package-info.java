/**
 * Config backups (docs/link.md, "Config backups"): the recorder's cameras as a {@link
 * dev.outpost.wire.outbox.ConfigBackup}, sent weekly and on demand through the outbox, and a restored one applied
 * through the camera set.
 */
package dev.outpost.recorder.backups;
