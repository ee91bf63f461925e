package dev.outpost.recorder.link;

import dev.outpost.wire.link.LinkWelcome;

/** The cloud answered the recorder's hello with a refusal. */
final class LinkRefusedException extends Exception {
    private final LinkWelcome welcome;

    LinkRefusedException(LinkWelcome welcome) {
        super("the cloud refused the link: " + welcome.code() + (welcome.message().isEmpty() ? "" : " (" + welcome.message() + ")"),
                null, false, false);
        this.welcome = welcome;
    }

    LinkWelcome welcome() {
        return welcome;
    }
}
