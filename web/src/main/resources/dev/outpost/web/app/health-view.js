// Site health (the Health tab): what the organization's recorders reported, as the cloud keeps it: alert history
// with alert images, day/night images per camera, and config backups per recorder (docs/web.md).
import { api, url } from './api.js';
import { h } from './dom.js';

const EVERY_MS = 15000; // read again while shown: alerts arrive through the recorders' outboxes
const ALERTS = 100;
const IMAGES = 100;

const TYPE_LABELS = {
  'camera-offline': 'Camera offline', 'camera-online': 'Camera back', 'recording-stopped': 'Recording stopped',
  'disk-nearly-full': 'Disk nearly full', 'recorder-restarted': 'Recorder restarted', 'link-restored': 'Link restored',
};

/** "1 h 5 min", "42 s": how long something was down. */
function duration(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function when(instant) {
  return new Date(instant).toLocaleString();
}

/** A thumbnail that opens the full picture (same origin: the session cookie authorizes it). */
function picture(imageUrl, label) {
  const address = url(imageUrl);
  return h('a', { href: address, target: '_blank', rel: 'noopener', class: 'picture' },
    h('img', { src: address, alt: label, loading: 'lazy', width: 160 }));
}

function bytes(count) {
  return count < 1024 * 1024 ? `${Math.round(count / 1024)} KiB` : `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

export class HealthView {
  /** managing: whether the user may ask recorders for a backup (admins and installers). */
  constructor(managing) {
    this.managing = managing;
    this.recorders = [];
    this.recorderFilter = h('select', { name: 'health-recorder', 'aria-label': 'Recorder',
      onchange: () => this.#load() }, h('option', { value: '' }, 'All recorders'));
    this.alertRows = h('tbody');
    this.noAlerts = h('p', { class: 'empty' }, 'No alerts in the last 90 days.');
    this.images = h('div', { class: 'camera-images' });
    this.noImages = h('p', { class: 'empty' }, 'No day/night images yet: recorders send one per camera at 12:00 and 00:00.');
    this.backups = h('div', { class: 'backups' });
    this.status = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'health', 'aria-label': 'Site health', hidden: true },
      h('div', { class: 'toolbar' }, h('label', {}, 'Show ', this.recorderFilter), this.status),
      h('section', { 'aria-labelledby': 'alerts-title' },
        h('h2', { id: 'alerts-title' }, 'Alerts'),
        this.noAlerts,
        h('table', { class: 'alerts' }, h('thead', {}, h('tr', {},
          h('th', {}, 'When'), h('th', {}, 'Recorder'), h('th', {}, 'Camera'), h('th', {}, 'What'),
          h('th', {}, 'Picture'))), this.alertRows)),
      h('section', { 'aria-labelledby': 'images-title' },
        h('h2', { id: 'images-title' }, 'Day/night images'), this.noImages, this.images),
      h('section', { 'aria-labelledby': 'backups-title' },
        h('h2', { id: 'backups-title' }, 'Config backups'), this.backups));
  }

  /** The camera entries the app knows ({key: 'recorder/camera', name}), to show cameras by name. */
  setCameras(cameras) {
    this.cameraNames = new Map(cameras.map((camera) => [camera.key, camera.name]));
  }

  #cameraName(recorderId, cameraId) {
    return this.cameraNames?.get(`${recorderId}/${cameraId}`) ?? cameraId;
  }

  /** The organization's recorders (RecorderView[], revoked ones left out), for the filter and the backups. */
  setRecorders(recorders) {
    const key = recorders.map((r) => `${r.id}:${r.name}:${r.online}`).join();
    if (key === this.recordersKey) return;
    this.recordersKey = key;
    this.recorders = recorders;
    const chosen = this.recorderFilter.value;
    this.recorderFilter.replaceChildren(h('option', { value: '' }, 'All recorders'),
      ...recorders.map((r) => h('option', { value: r.id }, r.name)));
    this.recorderFilter.value = recorders.some((r) => r.id === chosen) ? chosen : '';
    if (!this.element.hidden) this.#loadBackups();
  }

  show() {
    this.element.hidden = false;
    this.#load();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.#load(), EVERY_MS);
  }

  hide() {
    this.element.hidden = true;
    clearInterval(this.timer);
  }

  async #load() {
    const recorder = this.recorderFilter.value;
    try {
      const [alerts, images] = await Promise.all([api.alerts(recorder, ALERTS), api.cameraImages(recorder, IMAGES)]);
      this.#showAlerts(alerts);
      this.#showImages(images);
      this.status.textContent = '';
    } catch (e) {
      this.status.textContent = `Cannot read site health: ${e.message}`;
    }
    await this.#loadBackups();
  }

  #showAlerts(alerts) {
    this.noAlerts.hidden = alerts.length > 0;
    this.alertRows.replaceChildren(...alerts.map((alert) => {
      const what = [TYPE_LABELS[alert.type] ?? alert.type, alert.message];
      if (alert.downSeconds > 0) what.push(`down ${duration(alert.downSeconds)}`);
      return h('tr', { 'data-alert': alert.id, 'data-type': alert.type },
        h('td', { title: `received ${when(alert.receivedAt)}` }, when(alert.at)),
        h('td', {}, alert.recorderName),
        h('td', {}, alert.cameraId ? this.#cameraName(alert.recorderId, alert.cameraId) : '—'),
        h('td', { class: 'message' }, what.filter(Boolean).join(' · ')),
        h('td', {}, alert.imageUrl ? picture(alert.imageUrl, `Picture of ${alert.cameraId || alert.recorderName}`) : ''));
    }));
  }

  /** Newest first as listed; grouped by camera, each camera's pictures side by side. */
  #showImages(images) {
    this.noImages.hidden = images.length > 0;
    const cameras = new Map();
    for (const image of images) {
      const key = `${image.recorderId}/${image.cameraId}`;
      if (!cameras.has(key)) {
        cameras.set(key, { title: `${image.recorderName} · ${this.#cameraName(image.recorderId, image.cameraId)}`, images: [] });
      }
      cameras.get(key).images.push(image);
    }
    this.images.replaceChildren(...[...cameras.entries()].map(([key, camera]) =>
      h('figure', { class: 'camera-image-row', 'data-camera': key },
        h('figcaption', {}, camera.title),
        h('div', { class: 'strip' }, ...camera.images.map((image) =>
          h('div', { class: 'camera-image', 'data-image': image.id },
            picture(image.imageUrl, `${camera.title} at ${image.slot}`),
            h('span', {}, `${image.slot} · ${when(image.at)}`)))))));
  }

  async #loadBackups() {
    const chosen = this.recorderFilter.value;
    const recorders = this.recorders.filter((r) => !chosen || r.id === chosen);
    const sections = await Promise.all(recorders.map(async (recorder) => {
      let rows;
      try {
        const backups = await api.backups(recorder.id);
        rows = backups.length === 0 ? [h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No backup yet.'))]
          : backups.map((b) => h('tr', { 'data-backup': b.id },
            h('td', {}, when(b.takenAt)), h('td', {}, when(b.receivedAt)),
            h('td', {}, String(b.cameras)), h('td', {}, bytes(b.bytes))));
      } catch (e) {
        rows = [h('tr', {}, h('td', { colspan: 4, class: 'error' }, e.message))];
      }
      const note = h('span', { role: 'status' });
      const backUp = this.managing ? h('button', { type: 'button', class: 'back-up', disabled: !recorder.online,
        title: recorder.online ? '' : 'The recorder is offline',
        onclick: async () => {
          try {
            await api.requestBackup(recorder.id);
            note.textContent = 'Asked; it shows here once the recorder sent it.';
          } catch (e) {
            note.textContent = e.message;
          }
        } }, 'Back up now') : null;
      return h('section', { class: 'recorder-backups', 'data-recorder': recorder.id },
        h('h3', {}, recorder.name, ' ', backUp, ' ', note),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Taken'), h('th', {}, 'Received'), h('th', {}, 'Cameras'),
          h('th', {}, 'Size'))), h('tbody', {}, ...rows)));
    }));
    this.backups.replaceChildren(...sections);
  }
}
