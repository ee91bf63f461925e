// Search playback: pick a camera and a day, see its recordings and gaps on a timeline, play from any time at
// 1x/2x/4x/8x, pause, download a snapshot, export a clip (admins and installers, on the cloud), or go back to live.
import { api, authHeaders, localSite } from './api.js';
import { ClipExport } from './clip-export.js';
import { h } from './dom.js';
import { MsePlayer } from './mse-player.js';
import { SPANS, Timeline } from './timeline.js';

const SPEEDS = [1, 2, 4, 8];
const REFRESH_MS = 10000; // the timeline of today grows as the recorder records

const pad = (n) => String(n).padStart(2, '0');
const localDay = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
const dayStart = (day) => new Date(`${day}T00:00:00`).getTime(); // local midnight

export class SearchView {
  /**
   * onLive(camera): show this camera live; onClip(clipId), given to admins and installers on the cloud: show an
   * exported clip in the library (without it there is no "Export clip").
   */
  constructor(onLive, onClip) {
    this.onLive = onLive;
    this.cameras = [];
    this.ranges = [];
    this.cursor = NaN;
    this.speed = 1;
    this.spanMs = SPANS[0].ms;
    this.center = NaN;

    this.cameraChoice = h('select', { name: 'camera', onchange: () => this.#load(true) });
    this.dayChoice = h('input', { type: 'date', name: 'day', value: localDay(new Date()), onchange: () => this.#load(true) });
    this.streamChoice = h('select', { name: 'stream', onchange: () => this.#load(true) },
      h('option', { value: 'hd' }, 'HD'), h('option', { value: 'sd' }, 'SD'));
    this.spanChoice = h('select', { name: 'span', onchange: () => { this.spanMs = Number(this.spanChoice.value); this.#draw(); } },
      ...SPANS.map((s) => h('option', { value: String(s.ms) }, s.label)));
    this.timeline = new Timeline((ms) => this.seek(ms));
    this.goTime = h('input', { type: 'time', step: '1', name: 'time', 'aria-label': 'Time to play from' });

    this.video = h('video', { muted: true, playsInline: true, 'aria-hidden': 'true' });
    this.player = new MsePlayer(this.video, { live: false, headers: authHeaders });
    this.player.addEventListener('state', (event) => this.#showState(event.detail));
    this.video.addEventListener('timeupdate', () => this.#followPlayhead());
    this.status = h('p', { class: 'status', role: 'status' }, 'Pick a time on the timeline.');
    this.clock = h('span', { class: 'clock', 'aria-live': 'off' }, '—');

    this.playPause = h('button', { type: 'button', class: 'play', onclick: () => this.#togglePause() }, 'Pause');
    this.speedButtons = SPEEDS.map((speed) => h('button', {
      type: 'button', class: 'speed', 'data-speed': String(speed), 'aria-pressed': String(speed === 1),
      'aria-label': `Speed ${speed}x`, onclick: () => this.setSpeed(speed),
    }, `${speed}x`));
    this.snapshot = h('a', { class: 'button snapshot', download: 'snapshot.jpg', href: '#', 'aria-disabled': 'true',
      onclick: (event) => this.#downloadWithGrant(event) }, 'Snapshot');
    this.liveButton = h('button', { type: 'button', class: 'back-to-live', onclick: () => this.#toLive() }, 'Back to live');
    this.clipExport = onClip ? new ClipExport({ camera: () => this.#camera(), playheadMs: () => this.cursor,
      dayStartMs: () => dayStart(this.dayChoice.value) }, onClip) : null;

    this.element = h('section', { class: 'search', 'aria-label': 'Search recordings', hidden: true },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'What to search' },
        h('label', {}, 'Camera ', this.cameraChoice),
        h('label', {}, 'Day ', this.dayChoice),
        h('label', {}, 'Stream ', this.streamChoice),
        h('label', {}, 'Zoom ', this.spanChoice)),
      this.timeline.element,
      h('figure', { class: 'player' }, this.video, this.status),
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Playback' },
        this.clock,
        this.playPause,
        h('span', { class: 'group', role: 'group', 'aria-label': 'Speed' }, ...this.speedButtons),
        h('form', { class: 'goto', onsubmit: (event) => { event.preventDefault(); this.#goToTime(); } },
          this.goTime, h('button', { type: 'submit' }, 'Go')),
        this.snapshot,
        this.clipExport?.toggle,
        this.liveButton),
      this.clipExport?.form);
  }

  /** The cameras there are (the app's entries); keeps the chosen one if it is still there. */
  setCameras(cameras) {
    const keys = cameras.map((c) => c.key).join('|');
    if (keys === this.cameras.map((c) => c.key).join('|')) return;
    const chosen = this.cameraChoice.value;
    this.cameras = cameras;
    this.cameraChoice.replaceChildren(...cameras.map((c) =>
      h('option', { value: c.key }, `${c.name} (${c.recorderName})`)));
    if (cameras.some((c) => c.key === chosen)) this.cameraChoice.value = chosen;
    if (!this.element.hidden) this.#load(chosen !== this.cameraChoice.value);
  }

  show(camera) {
    this.element.hidden = false;
    if (camera) this.cameraChoice.value = camera.key;
    this.#load(true);
    clearInterval(this.refresher);
    this.refresher = setInterval(() => this.#load(false), REFRESH_MS);
  }

  hide() {
    this.element.hidden = true;
    clearInterval(this.refresher);
    this.player.stop();
  }

  #camera() {
    return this.cameras.find((c) => c.key === this.cameraChoice.value);
  }

  /** Reads the chosen day's timeline; `fresh`: another camera, day or stream, so playback stops. */
  async #load(fresh) {
    const camera = this.#camera();
    if (!camera) return;
    if (fresh) {
      this.player.stop();
      this.cursor = NaN;
      this.center = NaN;
      this.#setStatus('Pick a time on the timeline.');
    }
    const from = dayStart(this.dayChoice.value);
    const to = Math.min(from + 24 * 3600e3, Date.now());
    if (to <= from) {
      this.ranges = [];
      this.#draw();
      return;
    }
    try {
      const view = await api.recordings(camera.recorderId, camera.id, new Date(from), new Date(to), this.streamChoice.value);
      this.ranges = view.ranges;
      this.element.dataset.loaded = String(Date.now());
    } catch (e) {
      this.#setStatus(`Cannot read the recordings: ${e.message}`);
      return;
    }
    if (!Number.isFinite(this.center)) {
      const lastRecorded = [...this.ranges].reverse().find((r) => r.recorded);
      this.center = lastRecorded ? Date.parse(lastRecorded.end) : to;
    }
    this.#draw();
  }

  /** The window: `spanMs` around the playhead (or the latest recording), inside the day. */
  #draw() {
    const dayFrom = dayStart(this.dayChoice.value);
    const dayTo = dayFrom + 24 * 3600e3;
    const span = Math.min(this.spanMs, dayTo - dayFrom);
    const center = Number.isFinite(this.cursor) ? this.cursor : Number.isFinite(this.center) ? this.center : dayFrom + span / 2;
    const from = Math.min(Math.max(dayFrom, center - span / 2), dayTo - span);
    this.timeline.show(this.ranges, from, from + span);
    this.timeline.setCursor(this.cursor);
  }

  /** Plays from `ms` (a capture time) at the chosen speed. */
  seek(ms) {
    const camera = this.#camera();
    if (!camera) return;
    this.cursor = ms;
    this.seekedAt = ms;
    this.player.paused = false;
    this.playPause.textContent = 'Pause';
    this.player.play(api.playbackUrl(camera.recorderId, camera.id, new Date(ms), this.streamChoice.value, this.speed));
    this.#showCursor();
    this.#draw();
  }

  setSpeed(speed) {
    this.speed = speed;
    this.speedButtons.forEach((b) => b.setAttribute('aria-pressed', String(Number(b.dataset.speed) === speed)));
    if (Number.isFinite(this.cursor)) this.seek(this.cursor);
  }

  #togglePause() {
    if (this.player.paused) {
      this.player.resume();
      this.playPause.textContent = 'Pause';
    } else {
      this.player.pause();
      this.playPause.textContent = 'Play';
    }
  }

  #goToTime() {
    if (!this.goTime.value) return;
    const [hours, minutes, seconds = '0'] = this.goTime.value.split(':');
    const ms = dayStart(this.dayChoice.value) + ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
    this.seek(ms);
  }

  #toLive() {
    const camera = this.#camera();
    this.hide();
    this.onLive(camera);
  }

  #followPlayhead() {
    const capture = this.player.captureTimeMs(this.speed);
    if (!Number.isFinite(capture)) return;
    this.cursor = capture;
    this.#showCursor();
    this.timeline.setCursor(capture);
  }

  #showCursor() {
    const camera = this.#camera();
    const at = new Date(this.cursor);
    this.clock.textContent = Number.isFinite(this.cursor) ? at.toLocaleString() : '—';
    this.element.dataset.cursorMs = String(Math.round(this.cursor));
    if (camera && Number.isFinite(this.cursor)) {
      this.snapshot.href = api.snapshotUrl(camera.recorderId, camera.id, at, this.streamChoice.value);
      this.snapshot.removeAttribute('aria-disabled');
    }
  }

  /** On a recorder's own port a link cannot carry the grant: fetch the picture with it, then save that. */
  async #downloadWithGrant(event) {
    if (!localSite || this.snapshot.getAttribute('aria-disabled')) return;
    event.preventDefault();
    try {
      const response = await fetch(this.snapshot.href, { headers: authHeaders(), cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const picture = URL.createObjectURL(await response.blob());
      const save = h('a', { href: picture, download: 'snapshot.jpg', hidden: true });
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(picture), 10000);
    } catch (e) {
      this.#setStatus(`Cannot take a snapshot: ${e.message}`);
    }
  }

  #setStatus(text) {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  #showState({ state, error }) {
    this.element.dataset.state = state;
    if (state === 'playing') this.#setStatus('');
    else if (state === 'connecting') this.#setStatus('Loading…');
    else if (state === 'ended') this.#setStatus('End of the recording.');
    else if (state === 'failed') {
      this.#setStatus(error?.code === 'not-recorded' ? 'Nothing recorded from that time on.' : `Cannot play: ${error?.message}`);
    }
  }
}
