package dev.outpost.recorder.cameras;

/**
 * A camera setting that cannot be taken. It names the field ({@code id}, {@code name}, {@code mainUrl},
 * {@code subUrl}, {@code username}, {@code password}, {@code transport}) so a config file error or an API answer
 * can point at it; the message never contains a password.
 */
public final class InvalidCameraSetting extends IllegalArgumentException {
    private final String field;

    public InvalidCameraSetting(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The setting at fault, as the API and {@code cameras.json} name it. */
    public String field() {
        return field;
    }
}
