package dev.outpost.cloud.backups;

import dev.outpost.wire.outbox.ConfigBackup;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the camera URLs (which hold the cameras' credentials) of a config backup with its organization's
 * backup key: AES-256-GCM, a random 96-bit nonce per field (NIST SP 800-38D section 8.2.2), the organization, camera
 * id and field name as associated data, so a sealed URL cannot be moved to another camera, field or organization.
 * A sealed field reads {@code aesgcm:} and the base64 of nonce and ciphertext.
 */
final class BackupSealer {
    static final String PREFIX = "aesgcm:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final String organizationId;
    private final SecureRandom random;

    BackupSealer(byte[] secret, String organizationId, SecureRandom random) {
        if (secret.length != 32) {
            throw new IllegalArgumentException("a backup key has 32 bytes, not " + secret.length);
        }
        this.key = new SecretKeySpec(secret, "AES");
        this.organizationId = organizationId;
        this.random = random;
    }

    ConfigBackup seal(ConfigBackup backup) {
        List<ConfigBackup.Camera> sealed = new ArrayList<>();
        for (ConfigBackup.Camera c : backup.cameras()) {
            sealed.add(new ConfigBackup.Camera(c.id(), c.name(), seal(c.id(), "mainUrl", c.mainUrl()),
                    seal(c.id(), "subUrl", c.subUrl()), c.transport()));
        }
        return backup.withCameras(sealed);
    }

    /** @throws IllegalArgumentException naming the field that is not sealed or does not open with this key */
    ConfigBackup open(ConfigBackup backup) {
        List<ConfigBackup.Camera> opened = new ArrayList<>();
        for (ConfigBackup.Camera c : backup.cameras()) {
            opened.add(new ConfigBackup.Camera(c.id(), c.name(), open(c.id(), "mainUrl", c.mainUrl()),
                    open(c.id(), "subUrl", c.subUrl()), c.transport()));
        }
        return backup.withCameras(opened);
    }

    private String seal(String cameraId, String field, String clear) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, cameraId, field);
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private String open(String cameraId, String field, String sealed) {
        String where = "camera " + cameraId + " " + field;
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("config backup: " + where + " is not sealed");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config backup: " + where + " is not base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("config backup: " + where + " is too short to be sealed");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(in, NONCE_BYTES), cameraId, field);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("config backup: " + where
                    + " does not open with this organization's backup key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String cameraId, String field) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((organizationId + "\0" + cameraId + "\0" + field).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
