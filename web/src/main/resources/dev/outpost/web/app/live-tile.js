// One tile of the live view: a camera's video with its name, stream (HD/SD), path, a stream override, and a
// state line that says plainly when the camera or its recorder is offline.
import { livePath } from './api.js';
import { h } from './dom.js';
import { MsePlayer } from './mse-player.js';
import { PATH_LABELS, recorderPaths } from './paths.js';
import { automaticStream, chooseStream } from './stream-choice.js';

const CHOICE_LABELS = { auto: 'Auto', hd: 'HD', sd: 'SD' };
const RESIZE_SETTLE_MS = 300;
// Bandwidth step-down: an HD tile that falls behind (jumps, stalls, silent reconnects) in STEP_DOWN_AFTER different
// seconds within the window, once it has played a while, switches to SD by itself and says so; it tries HD again
// after STEP_UP_AFTER_MS. A stall fires at every starved frame, so events within a second count once: a moment of
// busy CPU alone does not step a tile down.
const STEP_DOWN_AFTER = 4;
const STEP_DOWN_WINDOW_MS = 20000;
const STEP_DOWN_SETTLE_MS = 3000;
const BEHIND_DEBOUNCE_MS = 1000;
const STEP_UP_AFTER_MS = 5 * 60 * 1000;

/**
 * camera: {key, recorderId, recorderName, id, name, sd: {width, height}, recorderOnline, cameraOnline}
 * view: {preferences, viewStream(), showAlone(camera)}
 */
export class LiveTile {
  constructor(camera, view) {
    this.camera = camera;
    this.view = view;
    this.stream = null;
    this.player = null;

    this.video = h('video', { muted: true, playsInline: true, autoplay: true, 'aria-hidden': 'true' });
    this.streamBadge = h('span', { class: 'badge stream', title: 'Stream playing' }, '');
    this.path = ''; // LAN or Relay, once the tile knows which way its video comes (paths.js)
    this.route = null;
    this.pathBadge = h('span', { class: 'badge path', title: 'How the video reaches this browser' }, '…');
    this.choice = h('select', {
      class: 'stream-choice', 'aria-label': `Stream for ${camera.name}`,
      onchange: () => {
        this.steppedDown = false; // the user's choice starts over
        view.preferences.setCameraStream(camera.key, this.choice.value);
        this.refresh();
      },
    }, ...Object.entries(CHOICE_LABELS).map(([value, label]) => h('option', { value }, label)));
    this.choice.value = view.preferences.cameraStream(camera.key);
    this.steppedDown = false;
    this.behind = []; // when this tile's HD stream last fell behind
    this.playingSince = Infinity;
    this.lowBandwidth = h('span', { class: 'badge low-bandwidth', hidden: true,
      title: 'HD kept falling behind on this network, so this tile plays SD. Choose HD to insist.' }, 'Low bandwidth');
    this.status = h('p', { class: 'status', role: 'status' }, 'Connecting…');
    this.element = h('figure', {
      class: 'tile', tabindex: '0', 'data-camera': camera.key,
      onkeydown: (event) => {
        if (event.target === this.element && event.key === 'Enter') view.showAlone(camera);
      },
      ondblclick: () => view.showAlone(camera),
    },
    this.video,
    this.status,
    h('figcaption', {},
      h('span', { class: 'name' }, camera.name),
      this.streamBadge,
      this.lowBandwidth,
      this.pathBadge,
      this.choice,
      h('button', { type: 'button', class: 'alone', 'aria-label': `Show ${camera.name} alone`, title: 'Show alone',
        onclick: () => view.showAlone(camera) }, '⤢')));

    this.resizes = new ResizeObserver(() => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.refresh(), RESIZE_SETTLE_MS);
    });
  }

  /** Starts playing; call once the element is in the page, so its size is known. */
  start() {
    this.resizes.observe(this.element);
    this.refresh();
  }

  /** Picks the stream again (size or choices changed) and switches if it differs. */
  refresh() {
    const box = this.element.getBoundingClientRect();
    const automatic = automaticStream(box.width, box.height, this.camera.sd);
    let wanted = chooseStream(this.choice.value, this.view.viewStream(), automatic);
    // Stepped down for bandwidth: SD, unless this tile is explicitly set to HD.
    const stepped = this.steppedDown && wanted === 'hd' && this.choice.value !== 'hd';
    if (stepped) wanted = 'sd';
    this.lowBandwidth.hidden = !stepped;
    this.element.dataset.steppedDown = String(stepped);
    if (wanted === this.stream && this.player) return;
    this.stream = wanted;
    this.streamBadge.textContent = wanted.toUpperCase();
    this.element.dataset.stream = wanted;
    this.#play();
  }

  #play() {
    if (!this.player) {
      this.player = new MsePlayer(this.video);
      this.element.outpostPlayer = this.player; // diagnostics from the browser's console and tests
      this.player.addEventListener('state', (event) => {
        // A stream that broke: its path may be what broke (a LAN left behind); the next connection asks again.
        if (event.detail.state === 'retrying' && this.route) recorderPaths.failed(this.camera.recorderId, this.route);
        this.playingSince = event.detail.state === 'playing' ? Date.now() : Infinity;
        this.#show(event.detail);
      });
      this.player.addEventListener('behind', () => this.#fellBehind());
      // For tests and figures: how far behind capture the picture on screen is.
      this.video.addEventListener('timeupdate', () => {
        const latency = this.player.latencyMs();
        if (Number.isFinite(latency)) this.element.dataset.latencyMs = String(Math.round(latency));
      });
    }
    const { recorderId, id } = this.camera;
    const stream = this.stream;
    this.player.play(async () => {
      const route = await recorderPaths.route(recorderId);
      this.route = route;
      this.path = PATH_LABELS[route.kind];
      this.pathBadge.textContent = this.path;
      this.element.dataset.path = route.kind;
      return { url: route.base + livePath(id, stream), headers: route.headers };
    });
  }

  /** The HD stream fell behind once more: past STEP_DOWN_AFTER times in the window, step down to SD. */
  #fellBehind() {
    const now = Date.now();
    if (this.stream !== 'hd' || this.choice.value === 'hd' || this.steppedDown
      || now - this.playingSince < STEP_DOWN_SETTLE_MS) return;
    if (now - (this.behind.at(-1) ?? -Infinity) < BEHIND_DEBOUNCE_MS) return;
    this.behind = this.behind.filter((at) => now - at < STEP_DOWN_WINDOW_MS).concat(now);
    if (this.behind.length >= STEP_DOWN_AFTER) {
      this.steppedDown = true;
      this.behind = [];
      clearTimeout(this.stepUpTimer);
      this.stepUpTimer = setTimeout(() => {
        this.steppedDown = false;
        this.refresh(); // HD again if the rule still says so; it steps down again if the network is still slow
      }, STEP_UP_AFTER_MS);
      this.refresh();
    }
  }

  /** The recorder's and camera's state as the app last learned it. */
  update(camera) {
    const wasOnline = this.camera.recorderOnline;
    this.camera = { ...this.camera, ...camera };
    if (this.camera.recorderOnline && !wasOnline && this.player && this.player.state !== 'playing') {
      this.#play(); // back: try now rather than at the end of the backoff
    }
    this.#show({ state: this.player ? this.player.state : 'connecting', error: this.player?.lastError });
  }

  #show({ state, error }) {
    let text = '';
    let kind = state;
    if (state !== 'playing') {
      if (!this.camera.recorderOnline || error?.code === 'recorder-offline') {
        kind = 'offline';
        text = `Recorder ${this.camera.recorderName} is offline`;
      } else if (error?.status === 404) {
        kind = 'offline';
        text = 'Camera not found on its recorder';
      } else if (this.camera.cameraOnline === false) {
        kind = 'offline';
        text = 'Camera offline';
      } else {
        text = state === 'retrying' ? 'Reconnecting…' : 'Connecting…';
      }
    }
    this.element.dataset.state = kind;
    this.status.textContent = text;
    this.status.hidden = text === '';
    const low = this.lowBandwidth.hidden ? '' : ' (low bandwidth)';
    const label = `${this.camera.name}, ${this.stream?.toUpperCase() ?? ''}${low}, ${this.path}${text ? `, ${text}` : ''}`;
    this.element.setAttribute('aria-label', label);
  }

  destroy() {
    clearTimeout(this.stepUpTimer);
    this.resizes.disconnect();
    clearTimeout(this.resizeTimer);
    this.player?.stop();
    this.element.remove();
  }
}
