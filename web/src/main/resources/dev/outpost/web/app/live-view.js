// The live view: a toolbar (layout 1/4/9/16, the whole view's stream choice, pages) over a grid of live tiles.
import { h } from './dom.js';
import { LAYOUTS, columnsOf, layoutOf, pageCount, pageOf, pageShowing } from './layout.js';
import { LiveTile } from './live-tile.js';

const VIEW_CHOICES = { auto: 'Auto (by tile size)', hd: 'All HD', sd: 'All SD' };

export class LiveView {
  constructor(preferences) {
    this.preferences = preferences;
    this.cameras = [];
    this.tiles = new Map(); // camera key -> LiveTile
    this.layout = layoutOf(preferences.layout);
    this.page = 0;

    this.layoutButtons = LAYOUTS.map((tiles) => h('button', {
      type: 'button', class: 'layout', 'data-layout': String(tiles),
      'aria-label': tiles === 1 ? 'One camera' : `${tiles} cameras`,
      onclick: () => this.setLayout(tiles),
    }, String(tiles)));
    this.viewChoice = h('select', {
      'aria-label': 'Stream for every tile',
      onchange: () => {
        preferences.viewStream = this.viewChoice.value;
        this.tiles.forEach((tile) => tile.refresh());
      },
    }, ...Object.entries(VIEW_CHOICES).map(([value, label]) => h('option', { value }, label)));
    this.viewChoice.value = preferences.viewStream;
    this.previous = h('button', { type: 'button', 'aria-label': 'Previous page', onclick: () => this.#turn(-1) }, '‹');
    this.next = h('button', { type: 'button', 'aria-label': 'Next page', onclick: () => this.#turn(1) }, '›');
    this.pageLabel = h('span', { class: 'page', 'aria-live': 'polite' });
    this.grid = h('div', { class: 'grid', role: 'list', 'aria-label': 'Live cameras' });
    this.empty = h('p', { class: 'empty' }, 'No cameras yet. Cameras appear here once a recorder with cameras is online.');
    this.element = h('section', { class: 'live', 'aria-label': 'Live view' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Live view controls' },
        h('span', { class: 'group', role: 'group', 'aria-label': 'Layout' }, ...this.layoutButtons),
        h('label', {}, 'Stream ', this.viewChoice),
        h('span', { class: 'group', role: 'group', 'aria-label': 'Pages' }, this.previous, this.pageLabel, this.next)),
      this.empty,
      this.grid);
  }

  /** Stops every tile's video (another view is showing); show() starts them again. */
  hide() {
    this.element.hidden = true;
    this.tiles.forEach((tile) => tile.destroy());
    this.tiles.clear();
  }

  show(camera) {
    this.element.hidden = false;
    if (camera) {
      this.layout = 4; // showAlone from a grid, so that Enter again goes back to it
      this.showAlone(camera);
    } else {
      this.#render();
    }
  }

  viewStream() {
    return this.viewChoice.value;
  }

  /** The cameras to show, in order: each {key, recorderId, recorderName, id, name, sd, recorderOnline, cameraOnline}. */
  setCameras(cameras) {
    this.cameras = cameras;
    if (!this.element.hidden) this.#render();
  }

  setLayout(tiles) {
    const first = this.page * this.layout;
    this.layout = layoutOf(tiles);
    this.preferences.layout = this.layout;
    this.page = pageShowing(first, this.layout);
    this.#render();
  }

  /** One tile showing `camera` (from a tile, or the recorder list); again on the same camera goes back to 4. */
  showAlone(camera) {
    const index = this.cameras.findIndex((c) => c.key === camera.key);
    if (index < 0) return;
    if (this.layout === 1) {
      this.setLayout(this.previousLayout ?? 4);
      return;
    }
    this.previousLayout = this.layout;
    this.layout = 1;
    this.page = index;
    this.#render();
    this.tiles.get(camera.key)?.element.focus();
  }

  #turn(step) {
    this.page += step;
    this.#render();
  }

  #render() {
    if (this.element.hidden) return;
    const { page, cameras } = pageOf(this.cameras, this.layout, this.page);
    this.page = page;
    const pages = pageCount(this.cameras.length, this.layout);
    this.layoutButtons.forEach((button) => button.setAttribute('aria-pressed',
      String(Number(button.dataset.layout) === this.layout)));
    this.pageLabel.textContent = `${page + 1} / ${pages}`;
    this.previous.disabled = page === 0;
    this.next.disabled = page >= pages - 1;
    this.empty.hidden = this.cameras.length > 0;
    this.grid.dataset.layout = String(this.layout);
    this.grid.style.setProperty('--columns', String(columnsOf(this.layout)));

    const shown = new Set(cameras.map((c) => c.key));
    for (const [key, tile] of this.tiles) {
      if (!shown.has(key)) {
        tile.destroy();
        this.tiles.delete(key);
      }
    }
    const started = [];
    const order = cameras.map((camera) => {
      let tile = this.tiles.get(camera.key);
      if (!tile) {
        tile = new LiveTile(camera, this);
        this.tiles.set(camera.key, tile);
        started.push(tile);
      } else {
        tile.update(camera);
      }
      tile.element.setAttribute('role', 'listitem');
      return tile.element;
    });
    this.grid.replaceChildren(...order);
    started.forEach((tile) => tile.start());
    this.tiles.forEach((tile) => { if (!started.includes(tile)) tile.refresh(); });
  }
}
