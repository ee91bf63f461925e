"""An IP camera for Outpost's tests: GStreamer's RTSP server on 127.0.0.1 with a main and a sub H.264 stream.

Started by dev.outpost.testkit.RtspCamera with /usr/bin/python3 -I. Prints "READY <port>" on stdout once the
server listens, and exits when its stdin closes, so a JVM that dies without closing the camera leaves no orphan
(and, with --orphan-cleanup, no directory).
The password, when there is one, comes in the environment variable OUTPOST_CAMERA_PASSWORD, not on the command
line where `ps` would show it.

Exit codes: 0 stdin closed or SIGTERM, 2 a Debian package is missing, 3 the port is taken, 4 other start failure.
"""

import argparse
import os
import shutil
import signal
import sys

EXIT_MISSING_PACKAGE = 2
EXIT_PORT_TAKEN = 3
EXIT_START_FAILED = 4


def fail(code, message):
    print("ERROR " + message, flush=True)
    sys.exit(code)


try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer
except (ImportError, ValueError) as e:
    fail(EXIT_MISSING_PACKAGE, "cannot load GStreamer's RTSP server from Python (%s): install the Debian packages "
         "python3-gi and gir1.2-gst-rtsp-server-1.0" % e)

# Element -> the Debian package that ships it (bookworm).
REQUIRED_ELEMENTS = {
    "videotestsrc": "gstreamer1.0-plugins-base",
    "videoconvert": "gstreamer1.0-plugins-base",
    "x264enc": "gstreamer1.0-plugins-ugly",
    "rtph264pay": "gstreamer1.0-plugins-good",
    "rtpbin": "gstreamer1.0-plugins-good",
    "udpsrc": "gstreamer1.0-plugins-good",
}
# x264's ultrafast preset turns off CABAC and 8x8 transforms, so without them the stream would be Constrained
# Baseline whatever the caps ask for; the caps then only cap the profile x264 writes into the SPS.
PROFILE_OPTIONS = {
    "constrained-baseline": "",
    "main": ":cabac=1",
    "high": ":cabac=1:8x8dct=1",
}
# Draws the wall clock into the picture; only cosmetic, so a camera without it still serves.
OVERLAY_ELEMENT, OVERLAY_PACKAGE = "clockoverlay", "gstreamer1.0-x"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1; 0 lets the kernel choose")
    parser.add_argument("--stream", action="append", required=True, metavar="MOUNT:WIDTHxHEIGHT:KBPS",
                        help="one H.264 mount, e.g. /main:1280x720:4000")
    parser.add_argument("--fps", type=int, required=True)
    parser.add_argument("--gop", type=int, required=True, help="frames from one IDR frame to the next")
    parser.add_argument("--profile", choices=sorted(PROFILE_OPTIONS), default="high")
    parser.add_argument("--auth", choices=["none", "basic", "digest"], default="none")
    parser.add_argument("--user", default="")
    parser.add_argument("--orphan-cleanup", default="", metavar="DIRECTORY",
                        help="directory to delete when stdin closes: the JVM that owned it died without a close()")
    parser.add_argument("--transports", default="tcp,udp", help="comma-separated subset of tcp,udp")
    return parser.parse_args()


def parse_stream(spec):
    mount, size, kbps = spec.split(":")
    width, height = size.split("x")
    return mount, int(width), int(height), int(kbps)


def launch_line(width, height, kbps, args, label, overlay):
    # scenecut=0: an IDR frame exactly every --gop frames, as a camera's "I-frame interval" setting gives.
    # tune=zerolatency: no B-frames and no lookahead, like a camera's encoder. stream-format in the caps, or the
    # profile caps alone would let x264enc negotiate avc whatever byte-stream says.
    clock = (" ! clockoverlay text=%s time-format=\"%%Y-%%m-%%d %%H:%%M:%%S\" shaded-background=true" % label
             if overlay else "")
    return ("( videotestsrc is-live=true pattern=smpte horizontal-speed=2"
            " ! video/x-raw,width=%d,height=%d,framerate=%d/1%s"
            " ! videoconvert"
            " ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=%d key-int-max=%d byte-stream=true"
            " option-string=\"scenecut=0%s\""
            " ! video/x-h264,stream-format=byte-stream,profile=%s"
            " ! rtph264pay name=pay0 pt=96 config-interval=1 )"
            % (width, height, args.fps, clock, kbps, args.gop, PROFILE_OPTIONS[args.profile], args.profile))


def check_elements():
    missing = sorted({package for element, package in REQUIRED_ELEMENTS.items()
                      if Gst.ElementFactory.find(element) is None})
    if missing:
        fail(EXIT_MISSING_PACKAGE, "GStreamer elements missing: install the Debian packages " + " ".join(missing))
    if Gst.ElementFactory.find(OVERLAY_ELEMENT) is None:
        print("NOTE no %s (Debian package %s): streams carry no clock" % (OVERLAY_ELEMENT, OVERLAY_PACKAGE),
              flush=True)
        return False
    return True


def make_auth(args):
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "viewer")
    password = os.environ.get("OUTPOST_CAMERA_PASSWORD", "")
    if args.auth == "digest":
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        auth.add_digest(args.user, password, token)
    else:
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, password), token)
    auth.set_realm("Outpost test camera")
    return auth


def make_factory(launch, args):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    # One encoder per mount however many clients watch, as on a camera.
    factory.set_shared(True)
    protocols = GstRtsp.RTSPLowerTrans(0)
    for name in args.transports.split(","):
        protocols |= {"tcp": GstRtsp.RTSPLowerTrans.TCP, "udp": GstRtsp.RTSPLowerTrans.UDP}[name]
    factory.set_protocols(protocols)
    if args.auth != "none":
        factory.add_role_from_structure(Gst.Structure.from_string(
            "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
    return factory


def main():
    args = parse_args()
    Gst.init(None)
    overlay = check_elements()

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    if args.auth != "none":
        server.set_auth(make_auth(args))
    mounts = server.get_mount_points()
    for spec in args.stream:
        mount, width, height, kbps = parse_stream(spec)
        launch = launch_line(width, height, kbps, args, mount.lstrip("/"), overlay)
        try:
            # Fails here rather than at a client's DESCRIBE when the line is wrong.
            Gst.parse_launch(launch).set_state(Gst.State.NULL)
        except GLib.Error as e:
            fail(EXIT_START_FAILED, "bad pipeline for %s: %s: %s" % (mount, e.message, launch))
        mounts.add_factory(mount, make_factory(launch, args))

    try:
        source = server.create_source(None)
    except GLib.Error as e:
        code = EXIT_PORT_TAKEN if "in use" in e.message.lower() else EXIT_START_FAILED
        fail(code, "cannot listen on 127.0.0.1:%d: %s" % (args.port, e.message))
    source.attach(None)

    loop = GLib.MainLoop()

    orphaned = []

    def on_stdin(fd, condition):
        if condition & GLib.IO_IN and os.read(fd, 4096):
            return True
        orphaned.append(True)
        loop.quit()
        return False

    GLib.io_add_watch(sys.stdin.fileno(), GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: loop.quit() or False)
    GLib.idle_add(lambda: print("READY %d" % server.get_bound_port(), flush=True) or False)
    loop.run()
    if orphaned and args.orphan_cleanup:
        shutil.rmtree(args.orphan_cleanup, ignore_errors=True)


if __name__ == "__main__":
    main()
