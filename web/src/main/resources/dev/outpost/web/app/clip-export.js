// "Export clip" in Search, for admins and installers: the chosen camera from a time of the chosen day (the playhead
// when the form opens), 10 s to 20 min, at 2MP or 4MP. The recorder makes the clip and sends it to the cloud's clip
// library; its progress shows here until the clip is there, then a button opens it in the Clips tab (docs/web.md).
import { api } from './api.js';
import { h } from './dom.js';

const LENGTHS = [[10, '10 s'], [30, '30 s'], [60, '1 min'], [120, '2 min'], [300, '5 min'], [600, '10 min'], [1200, '20 min']];
const PROGRESS_EVERY_MS = 1000;
const FIND_CLIP_TRIES = 10; // "done" means the cloud stored it: it is listed at once, or within seconds
const READ_FAILURES = 60; // about two minutes without an answer (the recorder went offline): stop asking

const pad = (n) => String(n).padStart(2, '0');
const timeOfDay = (ms) => {
  const at = new Date(ms);
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
};

export class ClipExport {
  /**
   * source: {camera(): the chosen camera entry, playheadMs(): the playhead's capture time or NaN, dayStartMs():
   * the chosen day's local midnight}; onClip(clipId): show that clip in the library.
   */
  constructor(source, onClip) {
    this.source = source;
    this.onClip = onClip;
    this.toggle = h('button', { type: 'button', class: 'export-clip', 'aria-expanded': 'false',
      onclick: () => this.#toggle() }, 'Export clip');
    this.from = h('input', { type: 'time', step: '1', name: 'export-from', required: true });
    this.length = h('select', { name: 'export-length' },
      ...LENGTHS.map(([seconds, label]) => h('option', { value: String(seconds) }, label)));
    this.length.value = '60';
    this.quality = h('select', { name: 'export-quality' },
      h('option', { value: '2mp' }, '2MP (1920x1080)'), h('option', { value: '4mp' }, '4MP (2560x1440)'));
    this.progress = h('p', { class: 'export-progress', role: 'status', 'aria-live': 'polite' });
    this.form = h('form', { class: 'export', 'aria-label': 'Export a clip', hidden: true,
      onsubmit: (event) => { event.preventDefault(); this.#export(); } },
    h('label', {}, 'From ', this.from),
    h('label', {}, 'Length ', this.length),
    h('label', {}, 'Quality ', this.quality),
    h('button', { type: 'submit' }, 'Export'),
    this.progress);
  }

  #toggle() {
    const open = this.form.hidden;
    this.form.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const playhead = this.source.playheadMs();
    this.from.value = timeOfDay(Number.isFinite(playhead) ? playhead
      : Math.max(this.source.dayStartMs(), Date.now() - Number(this.length.value) * 1000));
    this.from.focus();
  }

  async #export() {
    const camera = this.source.camera();
    if (!camera || !this.from.value) return;
    const [hours, minutes, seconds = '0'] = this.from.value.split(':');
    const start = this.source.dayStartMs() + ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
    const end = start + Number(this.length.value) * 1000;
    if (end > Date.now()) {
      this.#say('failed', 'That clip would end in the future: pick an earlier time or a shorter length.');
      return;
    }
    this.#say('asking', 'Asking the recorder…');
    try {
      const view = await api.exportClip(camera.recorderId, { cameraId: camera.id,
        ranges: [{ start: new Date(start).toISOString(), end: new Date(end).toISOString() }], quality: this.quality.value });
      this.following = view.id;
      this.#follow(camera.recorderId, view);
    } catch (e) {
      this.#say('failed', `Cannot export: ${e.message}`);
    }
  }

  /** Shows the export's state, and asks for it again each second until it is done or failed. */
  async #follow(recorderId, view, failures = 0) {
    if (this.following !== view.id) return; // another export replaced this one
    if (view.state === 'done') {
      this.#say('done', 'Done: the clip is in the library.');
      this.#offerClip(recorderId, view.clip?.sha256);
      return;
    }
    if (view.state === 'failed') {
      this.#say('failed', `Export failed: ${view.message || 'the recorder gave no reason'}`);
      return;
    }
    const labels = { queued: 'Queued', encoding: `Encoding ${view.percent}%`, uploading: `Uploading ${view.percent}%` };
    this.#say(view.state, `${labels[view.state] ?? view.state}…`);
    setTimeout(async () => {
      try {
        await this.#follow(recorderId, await api.exportStatus(recorderId, view.id));
      } catch (e) {
        if (failures + 1 >= READ_FAILURES) {
          this.#say('unknown', `Cannot read the progress (${e.message}): the clip shows in the Clips tab once it arrived.`);
          return;
        }
        this.#say(view.state, `Cannot read the progress (${e.message}); trying again…`);
        setTimeout(() => this.#follow(recorderId, view, failures + 1), PROGRESS_EVERY_MS);
      }
    }, PROGRESS_EVERY_MS);
  }

  /** The clip in the library is the one with the SHA-256 the recorder made. */
  async #offerClip(recorderId, sha256) {
    for (let i = 0; i < FIND_CLIP_TRIES && sha256; i++) {
      try {
        const clip = (await api.clips(recorderId, 20)).find((c) => c.sha256 === sha256);
        if (clip) {
          this.progress.dataset.clip = clip.id;
          this.progress.append(' ', h('button', { type: 'button', class: 'open-clip', onclick: () => this.onClip(clip.id) },
            'Open the clip'));
          return;
        }
      } catch {
        // tried again below
      }
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS));
    }
    this.progress.append(' Open the Clips tab to see it.');
  }

  #say(state, text) {
    this.progress.dataset.state = state;
    delete this.progress.dataset.clip;
    this.progress.textContent = text;
  }
}
