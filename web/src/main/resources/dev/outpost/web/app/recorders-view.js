// The list of the user's recorders with their online state and cameras; a camera opens alone in the live view.
import { h } from './dom.js';

export class RecordersView {
  constructor(onCamera) {
    this.onCamera = onCamera;
    this.list = h('ul', { class: 'recorders' });
    this.empty = h('p', { class: 'empty', hidden: true },
      'No recorders yet. An admin creates an activation code with ',
      h('code', {}, 'outpost cloud recorder add --name NAME'), '.');
    this.element = h('nav', { class: 'side', 'aria-label': 'Recorders' }, h('h2', {}, 'Recorders'), this.empty, this.list);
  }

  /** recorders: RecorderView[]; cameras: recorder id -> the camera entries the live view has for it. */
  show(recorders, cameras) {
    this.empty.hidden = recorders.length > 0;
    this.list.replaceChildren(...recorders.map((recorder) => {
      const state = recorder.revoked ? 'revoked' : recorder.online ? 'online' : 'offline';
      const since = recorder.since ? new Date(recorder.since).toLocaleString() : 'never seen';
      return h('li', { 'data-recorder': recorder.id },
        h('div', { class: 'recorder' },
          h('span', { class: 'name' }, recorder.name),
          h('span', { class: `state ${state}`, title: `${state} since ${since}` }, state)),
        h('ul', { class: 'cameras' }, ...(cameras.get(recorder.id) ?? []).map((camera) =>
          h('li', {}, h('button', {
            type: 'button', class: 'camera', 'data-camera': camera.key,
            onclick: () => this.onCamera(camera),
          }, camera.name)))));
    }));
  }
}
