// Plays an fMP4 stream in a <video> through Media Source Extensions: an endless live stream near the live
// edge, reconnecting by itself after a drop; or a recorded one (playback), read only as fast as it is shown.
import { BoxSplitter, codecOf, readPrft, timescaleOf } from './fmp4.js';

const MAX_LAG_SECONDS = 1.5; // behind the buffered end by more than this: jump forward
const TARGET_LAG_SECONDS = 0.2; // where a jump lands, before the buffered end
const CATCH_UP_LAG_SECONDS = 0.35; // behind by more than this (but less than a jump): play a little faster
const CATCH_UP_RATE = 1.1; // gentle: frame arrival jitter alone keeps pushing the lag up a little
const KEEP_SECONDS = 8; // buffer older than this behind the playhead is evicted
const STALL_MS = 6000; // no bytes for this long: the stream is dead even if the connection is not
const MAX_QUEUED_BYTES = 16 * 1024 * 1024; // the SourceBuffer is not keeping up: start again
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 4000;
const PLAYBACK_AHEAD_SECONDS = 10; // a recorded stream is read no further ahead of the playhead than this
const MAX_REFERENCES = 4096; // prft capture times kept for a recorded stream (one per fragment)

/** Why a stream could not be played: the HTTP status and the API's error word, when there was an answer. */
export class StreamError extends Error {
  constructor(message, status = 0, code = '') {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Events: 'state' with detail {state, error}: state is 'connecting', 'playing', 'retrying' (live: error says why,
 * a StreamError), 'ended' or 'failed' (recorded). Numbers for tests and figures: framesReceived, latencyMs() (wall
 * clock minus the capture time the stream's prft carries for the picture on screen), captureTimeMs().
 *
 * @param options.live    true (default) for a live stream; false for a recorded one, which ends, is never
 *                        fetched again by itself, and is read only PLAYBACK_AHEAD_SECONDS ahead of the playhead
 * @param options.headers () => the headers of each request (a grant on a recorder's own port)
 */
export class MsePlayer extends EventTarget {
  constructor(video, { live = true, headers = () => ({}) } = {}) {
    super();
    this.video = video;
    this.live = live;
    this.headers = headers;
    this.references = []; // recorded streams: {mediaSeconds, captureMs} of each fragment, in order
    this.paused = false;
    this.session = null;
    this.state = 'idle';
    this.framesReceived = 0;
    this.bytesReceived = 0;
    this.phase = 'idle'; // requesting, opening, reading: where a connection is, for diagnostics
    this.reference = null; // the latest prft: {captureMs, mediaSeconds}
    video.muted = true; // live video has no sound here, and muted video may play without a user gesture
    video.playsInline = true;
  }

  /** Recorded streams: holds the picture (reading stops too, once far enough ahead). */
  pause() {
    this.paused = true;
    this.video.pause();
  }

  resume() {
    this.paused = false;
    this.video.play().catch(() => {});
  }

  /**
   * Plays from now on, stopping whatever played before: `source` is the stream's URL, or a function that says,
   * at each (re)connection, where to fetch it and with which headers: async () => ({url, headers}) (a live tile
   * asks which path reaches its recorder now).
   */
  play(source) {
    this.stop();
    this.references = [];
    this.reference = null;
    const session = { source, url: typeof source === 'function' ? null : source, abort: new AbortController() };
    this.session = session;
    this.#run(session);
  }

  stop() {
    if (this.session) {
      this.session.abort.abort();
      this.session = null;
    }
    this.video.removeAttribute('src');
    this.video.load();
  }

  /**
   * Capture time (ms since 1970) of the picture on screen, from the prft of its fragment; NaN until known.
   * Between two fragments the capture clock runs `speed` times as fast as media time.
   */
  captureTimeMs(speed = 1) {
    const t = this.video.currentTime;
    let found = null;
    for (let i = this.references.length - 1; i >= 0; i -= 1) {
      if (this.references[i].mediaSeconds <= t + 1e-3) {
        found = this.references[i];
        break;
      }
    }
    if (!found || this.video.readyState < 2) return NaN;
    return found.captureMs + (t - found.mediaSeconds) * speed * 1000;
  }

  /**
   * Live: the picture could not keep the live edge (reason 'jump': skipped ahead over a gap or a pile-up; 'stall':
   * the video waited for data; 'reconnect': the stream brought nothing for a while). Tells listeners with a
   * 'behind' event, which a tile counts to step down from HD.
   */
  fellBehind(reason) {
    this.behindCount = (this.behindCount ?? 0) + 1;
    this.dispatchEvent(new CustomEvent('behind', { detail: { reason } }));
  }

  /** Milliseconds from capture to display of the picture on screen; NaN until known. */
  latencyMs() {
    if (!this.reference || this.video.readyState < 2) return NaN;
    const { captureMs, mediaSeconds } = this.reference;
    return Date.now() - (captureMs + (this.video.currentTime - mediaSeconds) * 1000);
  }

  #setState(state, error = null) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, error } }));
  }

  async #run(session) {
    if (!this.live) {
      await this.#playRecorded(session);
      return;
    }
    let failures = 0;
    const { signal } = session.abort;
    while (!signal.aborted) {
      this.#setState(failures === 0 ? 'connecting' : 'retrying', this.lastError);
      try {
        await this.#playOnce(session, () => { failures = 0; });
        throw new StreamError('the live stream ended');
      } catch (error) {
        if (signal.aborted) return;
        this.lastError = error instanceof StreamError ? error : new StreamError(error.message || String(error));
        if (this.lastError.stalled) this.fellBehind('reconnect');
        failures += 1;
        this.#setState('retrying', this.lastError);
        const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (failures - 1));
        await sleep(backoff / 2 + Math.random() * backoff / 2, signal); // jitter: tiles do not retry in step
      }
    }
  }

  /** A recorded stream: once, to its end; a failure is shown, not retried (the user picks another time). */
  async #playRecorded(session) {
    this.#setState('connecting');
    const playing = () => {
      if (!session.abort.signal.aborted && this.state === 'connecting') this.#setState('playing');
    };
    this.video.addEventListener('playing', playing);
    session.abort.signal.addEventListener('abort', () => this.video.removeEventListener('playing', playing), { once: true });
    try {
      await this.#playOnce(session, () => {});
      if (session.abort.signal.aborted) return;
      if (!this.video.ended) {
        await new Promise((resolve) => {
          this.video.addEventListener('ended', resolve, { once: true });
          session.abort.signal.addEventListener('abort', resolve, { once: true });
        });
      }
      if (!session.abort.signal.aborted) this.#setState('ended');
    } catch (error) {
      if (session.abort.signal.aborted) return;
      this.lastError = error instanceof StreamError ? error : new StreamError(error.message || String(error));
      this.#setState('failed', this.lastError);
    }
  }

  /** Resolves once the playhead is within PLAYBACK_AHEAD_SECONDS of the buffered end (or at once, for live). */
  #roomAhead(signal) {
    const ahead = () => {
      const ranges = this.video.buffered;
      return ranges.length === 0 ? 0 : ranges.end(ranges.length - 1) - this.video.currentTime;
    };
    if (this.live || ahead() < PLAYBACK_AHEAD_SECONDS) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (signal.aborted || ahead() < PLAYBACK_AHEAD_SECONDS) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(check, 250);
    });
  }

  /** One connection: fetch, feed the SourceBuffer until the stream ends or fails. */
  async #playOnce(session, onPlaying) {
    const { signal } = session.abort;
    const connection = new AbortController();
    signal.addEventListener('abort', () => connection.abort(), { once: true });
    try {
      this.phase = 'requesting';
      const { url, headers } = typeof session.source === 'function' ? await session.source()
        : { url: session.source, headers: this.headers() };
      session.url = url; // the address of the connection in progress, for diagnostics and tests
      const response = await fetch(url, {
        credentials: 'same-origin', cache: 'no-store', headers, signal: connection.signal,
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new StreamError(body.message || `HTTP ${response.status}`, response.status, body.error || '');
      }
      const feed = new SourceFeed(this, connection.signal);
      this.phase = 'opening';
      await feed.open();
      this.phase = 'reading';
      const reader = response.body.getReader();
      let playing = false;
      for (;;) {
        await this.#roomAhead(connection.signal); // not reading holds the sender back (flow control)
        const { value, done } = await readWithin(reader, STALL_MS, connection);
        if (done) {
          if (!this.live) await feed.finish();
          return;
        }
        this.bytesReceived += value.length;
        feed.push(value);
        if (!playing && feed.started) {
          playing = true;
          onPlaying();
          if (this.live) this.#setState('playing');
        }
      }
    } finally {
      connection.abort();
    }
  }
}

/** reader.read(), failing if nothing comes within `ms`. */
function readWithin(reader, ms, connection) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      connection.abort();
      const stalled = new StreamError(`no video for ${ms / 1000} s`);
      stalled.stalled = true;
      reject(stalled);
    }, ms);
  });
  return Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
}

/** One MediaSource and its SourceBuffer for one connection: appends whole boxes, trims, keeps near live. */
class SourceFeed {
  constructor(player, signal) {
    this.player = player;
    this.video = player.video;
    this.signal = signal;
    this.splitter = new BoxSplitter();
    this.init = [];
    this.queue = [];
    this.queuedBytes = 0;
    this.buffer = null;
    this.timescale = 90000;
    this.started = false;
    this.failure = null;
  }

  async open() {
    this.source = new MediaSource();
    const opened = new Promise((resolve) => this.source.addEventListener('sourceopen', resolve, { once: true }));
    const url = URL.createObjectURL(this.source);
    this.video.src = url;
    await opened;
    URL.revokeObjectURL(url);
    this.onTime = () => this.keepNearLive();
    this.onWaiting = () => {
      if (this.started && this.player.live) this.player.fellBehind('stall');
    };
    this.video.addEventListener('timeupdate', this.onTime);
    this.video.addEventListener('waiting', this.onWaiting);
    this.signal.addEventListener('abort', () => {
      this.video.removeEventListener('timeupdate', this.onTime);
      this.video.removeEventListener('waiting', this.onWaiting);
    }, { once: true });
  }

  push(chunk) {
    if (this.failure) throw this.failure;
    if (this.video.error) throw new StreamError(`the browser could not play the video: ${this.video.error.message}`);
    for (const box of this.splitter.push(chunk)) {
      if (!this.buffer) {
        this.init.push(box.bytes);
        if (box.type === 'moov') this.#createBuffer(box.bytes);
        continue;
      }
      if (box.type === 'prft') {
        this.prft = readPrft(box.bytes);
      } else if (box.type === 'mdat') {
        this.player.framesReceived += 1;
        if (this.prft) {
          const reference = { captureMs: this.prft.captureMs, mediaSeconds: this.prft.mediaTime / this.timescale };
          this.player.reference = reference;
          if (!this.player.live) {
            this.player.references.push(reference);
            if (this.player.references.length > MAX_REFERENCES) this.player.references.shift();
          }
          this.prft = null;
        }
      }
      this.#enqueue(box.bytes);
    }
    this.#pump();
  }

  #createBuffer(moov) {
    const codec = codecOf(moov);
    this.timescale = timescaleOf(moov);
    const type = `video/mp4; codecs="${codec}"`;
    if (!MediaSource.isTypeSupported(type)) throw new StreamError(`this browser cannot play ${type}`);
    this.buffer = this.source.addSourceBuffer(type);
    this.buffer.mode = 'segments';
    this.buffer.addEventListener('updateend', () => {
      this.keepNearLive();
      this.#pump();
    });
    this.buffer.addEventListener('error', () => { this.failure = new StreamError('the browser refused the video'); });
    for (const bytes of this.init) this.#enqueue(bytes);
    this.init = [];
  }

  /** The stream ended: append what is queued, then end the MediaSource so the video plays to the end. */
  finish() {
    if (this.source.readyState !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      this.onFinished = resolve;
      this.ending = true;
      this.#pump();
    });
  }

  #enqueue(bytes) {
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      throw new StreamError('the browser is not keeping up with the video');
    }
  }

  #pump() {
    const buffer = this.buffer;
    if (!buffer || buffer.updating || this.signal.aborted || this.source.readyState !== 'open') return;
    const ranges = buffer.buffered;
    if (ranges.length > 0 && this.video.currentTime - ranges.start(0) > KEEP_SECONDS * 1.5) {
      buffer.remove(0, this.video.currentTime - KEEP_SECONDS); // evict; #pump runs again at updateend
      return;
    }
    if (this.queue.length === 0) {
      if (this.ending && this.source.readyState === 'open') {
        this.source.endOfStream();
        this.onFinished?.();
      }
      return;
    }
    const bytes = new Uint8Array(this.queuedBytes);
    let at = 0;
    for (const part of this.queue) {
      bytes.set(part, at);
      at += part.length;
    }
    this.queue = [];
    this.queuedBytes = 0;
    try {
      buffer.appendBuffer(bytes);
    } catch (error) {
      this.failure = new StreamError(`appending video failed: ${error.message}`);
    }
  }

  /**
   * Jumps to just before the buffered end when behind by more than MAX_LAG_SECONDS (or at the start), plays a
   * little faster while behind by more than CATCH_UP_LAG_SECONDS, and keeps playing.
   */
  keepNearLive() {
    if (this.signal.aborted || !this.buffer) return;
    const ranges = this.video.buffered;
    if (ranges.length === 0) return;
    if (!this.player.live) { // recorded: start at the beginning, then just play
      if (this.video.currentTime < ranges.start(0)) this.video.currentTime = ranges.start(0);
      if (!this.started && this.video.readyState >= 2) this.started = true;
      if (this.video.paused && !this.player.paused) this.video.play().catch(() => {});
      return;
    }
    const last = ranges.length - 1;
    const start = ranges.start(last);
    const end = ranges.end(last);
    const now = this.video.currentTime;
    const lag = end - now;
    if (now < start || lag > MAX_LAG_SECONDS || (!this.started && lag > TARGET_LAG_SECONDS * 2)) {
      if (this.started) this.player.fellBehind('jump'); // not the first seek: the stream could not keep up
      this.video.currentTime = Math.max(start, end - TARGET_LAG_SECONDS);
    } else if (lag > CATCH_UP_LAG_SECONDS) {
      this.video.playbackRate = CATCH_UP_RATE;
    } else if (lag < TARGET_LAG_SECONDS + 0.05) {
      this.video.playbackRate = 1;
    }
    if (!this.started && this.video.readyState >= 2) this.started = true;
    if (this.video.paused) this.video.play().catch(() => {});
  }
}
