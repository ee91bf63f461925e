// A horizontal timeline of one camera's recordings over a window of time: recorded ranges and gaps (with why),
// hour marks, and the playhead. Clicking (or Enter on a range) asks to play from that time.
import { h } from './dom.js';

export const SPANS = [
  { label: '24 h', ms: 24 * 3600e3 },
  { label: '4 h', ms: 4 * 3600e3 },
  { label: '1 h', ms: 3600e3 },
  { label: '10 min', ms: 600e3 },
  { label: '2 min', ms: 120e3 },
];

const TICK_STEPS_MS = [10e3, 30e3, 60e3, 300e3, 600e3, 1800e3, 3600e3, 3 * 3600e3];

const timeOfDay = (ms, seconds) => new Date(ms).toLocaleTimeString([], {
  hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}),
});

export class Timeline {
  /** onSeek(ms): the user picked a time. */
  constructor(onSeek) {
    this.onSeek = onSeek;
    this.ranges = [];
    this.from = 0;
    this.to = 1;
    this.cursor = NaN;
    this.track = h('div', { class: 'track', onclick: (event) => this.#clicked(event) });
    this.ticks = h('div', { class: 'ticks', 'aria-hidden': 'true' });
    this.playhead = h('div', { class: 'playhead', hidden: true, 'aria-hidden': 'true' });
    this.element = h('div', { class: 'timeline', role: 'group', 'aria-label': 'Recordings timeline' },
      this.track, this.ticks);
    this.track.append(this.playhead);
  }

  /** Shows `ranges` (RecordingsView ranges with start/end as ISO strings) in the window [from, to) (ms). */
  show(ranges, from, to) {
    this.ranges = ranges.map((r) => ({ ...r, startMs: Date.parse(r.start), endMs: Date.parse(r.end) }));
    this.from = from;
    this.to = to;
    this.#render();
  }

  setCursor(ms) {
    this.cursor = ms;
    const inside = Number.isFinite(ms) && ms >= this.from && ms <= this.to;
    this.playhead.hidden = !inside;
    if (inside) this.playhead.style.left = `${this.#percent(ms)}%`;
  }

  #percent(ms) {
    return ((ms - this.from) / (this.to - this.from)) * 100;
  }

  #render() {
    const span = this.to - this.from;
    const seconds = span <= 600e3;
    const visible = this.ranges.filter((r) => r.endMs > this.from && r.startMs < this.to);
    const parts = visible.map((r) => {
      const words = r.recorded ? 'recorded' : `gap: ${r.reason || 'not recorded'}`;
      const label = `${timeOfDay(r.startMs, true)} to ${timeOfDay(r.endMs, true)}, ${words}`;
      const part = h('div', {
        class: r.recorded ? 'range recorded' : 'range gap',
        title: label,
        'aria-label': label,
        tabindex: r.recorded ? '0' : undefined,
        role: r.recorded ? 'button' : undefined,
        'data-start': r.start,
        'data-end': r.end,
        'data-reason': r.reason || '',
        onkeydown: (event) => {
          if (r.recorded && (event.key === 'Enter' || event.key === ' ')) {
            event.preventDefault();
            this.onSeek(r.startMs);
          }
        },
      });
      // Placed through CSSOM: the CSP forbids style attributes in markup, not style properties.
      const start = Math.max(r.startMs, this.from);
      const end = Math.min(r.endMs, this.to);
      part.style.left = `${this.#percent(start)}%`;
      part.style.width = `${Math.max(0.2, this.#percent(end) - this.#percent(start))}%`;
      return part;
    });
    this.track.replaceChildren(...parts, this.playhead);

    const step = TICK_STEPS_MS.find((s) => span / s <= 8) ?? TICK_STEPS_MS.at(-1);
    const offset = new Date(this.from).getTimezoneOffset() * 60e3; // ticks on local round times
    const ticks = [];
    for (let t = Math.ceil((this.from - offset) / step) * step + offset; t < this.to; t += step) {
      if (this.#percent(t) < 4 || this.#percent(t) > 96) continue; // a label there would stick out
      const tick = h('span', { class: 'tick' }, timeOfDay(t, seconds && step < 60e3));
      tick.style.left = `${this.#percent(t)}%`;
      ticks.push(tick);
    }
    this.ticks.replaceChildren(...ticks);
    this.setCursor(this.cursor);
  }

  #clicked(event) {
    const box = this.track.getBoundingClientRect();
    const ms = this.from + ((event.clientX - box.left) / box.width) * (this.to - this.from);
    this.onSeek(Math.round(ms));
  }
}
