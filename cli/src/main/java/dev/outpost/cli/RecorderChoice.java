package dev.outpost.cli;

import dev.outpost.wire.api.RecorderView;
import java.util.List;
import java.util.stream.Collectors;

/** Which recorder a command's RECORDER argument names: an id first; otherwise a name, which must be unique. */
final class RecorderChoice {
    private RecorderChoice() {
    }

    /** The exact name wins over the same name in another case; several recorders with the name is a usage error. */
    static RecorderView of(List<RecorderView> recorders, String recorder) {
        for (RecorderView r : recorders) {
            if (recorder.equals(r.id())) {
                return r;
            }
        }
        List<RecorderView> named = recorders.stream().filter(r -> recorder.equals(r.name())).toList();
        if (named.isEmpty()) {
            named = recorders.stream().filter(r -> recorder.equalsIgnoreCase(r.name())).toList();
        }
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.isEmpty()) {
            throw ClientFailure.refused("no recorder " + recorder + " in your organization ('outpost recorders' lists them)");
        }
        throw ClientFailure.usage("several recorders are named " + recorder + "; give the id instead: "
                + named.stream().map(RecorderView::id).collect(Collectors.joining(", ")));
    }
}
