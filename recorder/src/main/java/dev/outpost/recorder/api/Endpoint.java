package dev.outpost.recorder.api;

/**
 * What serves one route of the recorder's API. It answers through the {@link ApiCall} it is given, at once or later
 * (after blocking work on {@link RecorderApi#blocking()}); a refusal thrown before it answered becomes the error answer.
 */
@FunctionalInterface
interface Endpoint {
    void serve(ApiCall call) throws ApiRefusal;
}
