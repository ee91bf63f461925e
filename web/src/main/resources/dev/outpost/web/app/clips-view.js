// The clip library (the Clips tab): the organization's exported clips, newest first, with the storage they take.
// A clip plays in the page (the cloud serves it with byte ranges, so the <video> seeks), downloads, and, for admins
// and installers, gets a time-limited share link or is deleted (docs/web.md).
import { api, url } from './api.js';
import { h } from './dom.js';

const EVERY_MS = 15000; // clips arrive through the recorders' outboxes
const CLIPS = 200;
const SHARE_DEFAULT_MINUTES = 1440;
const SHARE_MAX_MINUTES = 10080; // the API's bound: a week

function when(instant) {
  return new Date(instant).toLocaleString();
}

/** "45 s", "3 min 20 s": a clip's playing time. */
function length(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
}

function size(bytes) {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export class ClipsView {
  /** managing: whether the user may share and delete clips (admins and installers). */
  constructor(managing) {
    this.managing = managing;
    this.clips = [];
    this.recorderNames = new Map();
    this.cameraNames = new Map();
    this.usage = h('p', { class: 'usage', role: 'status' });
    this.status = h('p', { class: 'error', role: 'alert' });
    this.rows = h('tbody');
    this.empty = h('p', { class: 'empty', hidden: true },
      'No clips yet. Admins and installers export them from Search.');
    this.video = h('video', { controls: true, playsInline: true, muted: true, preload: 'metadata' });
    this.title = h('figcaption');
    this.actions = h('div', { class: 'actions' });
    this.player = h('figure', { class: 'clip-player', hidden: true }, this.video, this.title, this.actions);
    this.element = h('section', { class: 'clips', 'aria-label': 'Clip library', hidden: true },
      h('div', { class: 'toolbar' }, this.usage, this.status),
      this.player,
      this.empty,
      h('table', { class: 'clip-list' }, h('thead', {}, h('tr', {},
        h('th', {}, 'Recorded'), h('th', {}, 'Recorder · camera'), h('th', {}, 'Length'), h('th', {}, 'Picture'),
        h('th', {}, 'Size'), h('th', {}, h('span', { class: 'visually-hidden' }, 'Play')))), this.rows));
  }

  /** Every recorder of the organization, revoked ones too: their clips stay. */
  setRecorders(recorders) {
    this.recorderNames = new Map(recorders.map((r) => [r.id, r.name]));
  }

  /** The camera entries the app knows ({key: 'recorder/camera', name}), to show cameras by name. */
  setCameras(cameras) {
    this.cameraNames = new Map(cameras.map((camera) => [camera.key, camera.name]));
  }

  /** Shows the library; with {clipId}, plays that clip once it is listed. */
  show(options) {
    this.element.hidden = false;
    this.wanted = options?.clipId;
    this.#load();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.#load(), EVERY_MS);
  }

  hide() {
    this.element.hidden = true;
    clearInterval(this.timer);
    this.video.pause();
  }

  #names(clip) {
    const recorder = this.recorderNames.get(clip.recorderId) ?? clip.recorderId;
    const camera = this.cameraNames.get(`${clip.recorderId}/${clip.cameraId}`) ?? clip.cameraId;
    return `${recorder} · ${camera}`;
  }

  async #load() {
    try {
      const [clips, usage] = await Promise.all([api.clips('', CLIPS), api.clipUsage()]);
      this.clips = clips;
      this.usage.textContent = `${usage.clips} ${usage.clips === 1 ? 'clip' : 'clips'}, ${size(usage.bytes)} stored`;
      this.status.textContent = '';
      this.#showList();
      const wanted = clips.find((c) => c.id === this.wanted);
      if (wanted) {
        this.wanted = null;
        this.#select(wanted);
      }
      if (this.selected && !clips.some((c) => c.id === this.selected.id)) this.#unselect(); // deleted elsewhere
      this.element.dataset.loads = String(Number(this.element.dataset.loads ?? 0) + 1);
    } catch (e) {
      this.status.textContent = `Cannot read the clips: ${e.message}`;
    }
  }

  #showList() {
    this.empty.hidden = this.clips.length > 0;
    this.rows.replaceChildren(...this.clips.map((clip) => {
      const names = this.#names(clip);
      return h('tr', { 'data-clip': clip.id, 'aria-current': clip.id === this.selected?.id ? 'true' : null },
        h('td', { title: `received ${when(clip.receivedAt)}` }, when(clip.start)),
        h('td', {}, names),
        h('td', {}, length(clip.durationMillis)),
        h('td', {}, `${clip.width}x${clip.height}`),
        h('td', {}, size(clip.bytes)),
        h('td', {}, h('button', { type: 'button', class: 'play', 'aria-label': `Play ${names} at ${when(clip.start)}`,
          onclick: () => this.#select(clip) }, 'Play')));
    }));
  }

  #select(clip) {
    this.selected = clip;
    this.#showList();
    this.player.hidden = false;
    this.player.dataset.clip = clip.id;
    this.title.textContent = `${this.#names(clip)}, ${when(clip.start)} to ${new Date(clip.end).toLocaleTimeString()}`
      + ` (${length(clip.durationMillis)}, ${clip.width}x${clip.height})`;
    this.video.src = api.clipUrl(clip.id, false); // same origin: the session cookie authorizes it, ranges seek it
    this.video.play().catch(() => {}); // a browser that refuses to start by itself leaves the controls to the user
    const note = h('span', { class: 'note', role: 'status' });
    this.actions.replaceChildren(
      h('a', { class: 'button download', href: api.clipUrl(clip.id, true), download: `clip-${clip.id}.mp4` }, 'Download'),
      ...(this.managing ? [this.#deleteButton(clip, note), ...this.#shareForm(clip)] : []),
      note);
    this.player.scrollIntoView({ block: 'nearest' });
  }

  #unselect() {
    this.selected = null;
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
    this.player.hidden = true;
    delete this.player.dataset.clip;
    this.#showList();
  }

  /** The form and, apart from it, where the link shows. */
  #shareForm(clip) {
    const minutes = h('input', { type: 'number', name: 'share-minutes', min: '1', max: String(SHARE_MAX_MINUTES),
      value: String(SHARE_DEFAULT_MINUTES), required: true, inputmode: 'numeric' });
    const result = h('div', { class: 'share-result', role: 'status' });
    const form = h('form', { class: 'share', onsubmit: async (event) => {
      event.preventDefault();
      result.replaceChildren();
      try {
        const share = await api.shareClip(clip.id, Number(minutes.value));
        const link = h('input', { type: 'text', name: 'share-link', readOnly: true, value: url(share.url),
          'aria-label': 'Share link', onfocus: () => link.select() });
        const copied = h('span');
        result.replaceChildren(link,
          h('button', { type: 'button', class: 'copy', onclick: async () => {
            link.select();
            try {
              await navigator.clipboard.writeText(link.value);
              copied.textContent = 'Copied.';
            } catch {
              copied.textContent = 'Selected: copy it with Ctrl+C.';
            }
          } }, 'Copy'),
          h('span', { class: 'expires', 'data-expires': share.expiresAt }, `Works without logging in until ${when(share.expiresAt)}.`),
          copied);
        link.focus();
      } catch (e) {
        result.replaceChildren(h('span', { class: 'error' }, `Cannot share: ${e.message}`));
      }
    } },
    h('label', {}, 'Share for ', minutes, ' min'), h('button', { type: 'submit' }, 'Share'));
    return [form, result];
  }

  /** Two steps, as for revoking a recorder: one stray click never deletes a clip. */
  #deleteButton(clip, note) {
    const remove = h('button', { type: 'button', class: 'delete', onclick: async () => {
      if (remove.dataset.confirm !== 'yes') {
        remove.dataset.confirm = 'yes';
        remove.textContent = 'Really delete this clip and its share links?';
        return;
      }
      try {
        await api.deleteClip(clip.id);
        this.#unselect();
        await this.#load();
      } catch (e) {
        note.textContent = `Cannot delete: ${e.message}`;
      }
    } }, 'Delete');
    return remove;
  }
}
