package dev.outpost.system;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** What the alert email tests share: a small real JPEG to send, and an email taken apart into its leaf parts. */
final class AlertEmails {
    private AlertEmails() {
    }

    /** A 64x48 JPEG of a colour gradient, as a camera's alert image would be. */
    static byte[] jpeg() throws Exception {
        BufferedImage picture = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 64; x++) {
            for (int y = 0; y < 48; y++) {
                picture.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(picture, "jpg", out);
        return out.toByteArray();
    }

    /** The leaves of an email's MIME tree: text, HTML and images, in order. */
    static List<Part> parts(Part email) throws Exception {
        List<Part> parts = new ArrayList<>();
        flatten(email, parts);
        return parts;
    }

    static boolean isType(Part part, String type) {
        try {
            return part.isMimeType(type);
        } catch (jakarta.mail.MessagingException e) {
            return false;
        }
    }

    private static void flatten(Part part, List<Part> into) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                flatten(multipart.getBodyPart(i), into);
            }
        } else {
            into.add(part);
        }
    }
}
