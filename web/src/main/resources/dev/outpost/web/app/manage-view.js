// Recorder management for admins and installers (add with an activation code, rename, revoke) and, for admins,
// the organization's users and their roles.
import { api } from './api.js';
import { h } from './dom.js';

const ROLES = { viewer: 'Viewer: watches live and recorded video', installer: 'Installer: also adds, renames and revokes recorders',
  admin: 'Admin: also manages users' };

export class ManageView {
  /** me: the UserView of who is logged in; onChange(): recorders changed, refresh the rest of the app. */
  constructor(me, onChange) {
    this.me = me;
    this.onChange = onChange;
    this.recorders = [];

    this.codeName = h('input', { name: 'recorder-name', required: true, maxLength: 100, autocomplete: 'off' });
    this.codeResult = h('div', { class: 'code-result', role: 'status' });
    this.recorderRows = h('tbody');
    this.usersSection = h('section', { class: 'users', 'aria-labelledby': 'users-title', hidden: me.role !== 'admin' });
    this.userRows = h('tbody');
    this.userEmail = h('input', { type: 'email', name: 'user-email', required: true, autocomplete: 'off' });
    this.userPassword = h('input', { type: 'password', name: 'user-password', required: true, minLength: 8, autocomplete: 'new-password' });
    this.userRole = h('select', { name: 'user-role' }, ...Object.entries(ROLES).map(([value, label]) => h('option', { value }, label)));
    this.userError = h('p', { class: 'error', role: 'alert' });

    this.usersSection.append(
      h('h2', { id: 'users-title' }, 'Users'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Email'), h('th', {}, 'Role'), h('th', {}, 'Actions'))),
        this.userRows),
      h('form', { class: 'add-user', onsubmit: (event) => { event.preventDefault(); this.#addUser(); } },
        h('h3', {}, 'Add a user'),
        h('label', {}, 'Email ', this.userEmail),
        h('label', {}, 'Password ', this.userPassword),
        h('label', {}, 'Role ', this.userRole),
        h('button', { type: 'submit' }, 'Add user'),
        this.userError));

    this.element = h('section', { class: 'manage', 'aria-label': 'Manage', hidden: true },
      h('section', { 'aria-labelledby': 'manage-recorders-title' },
        h('h2', { id: 'manage-recorders-title' }, 'Recorders'),
        h('table', {}, h('thead', {}, h('tr', {},
          h('th', {}, 'Name'), h('th', {}, 'State'), h('th', {}, 'Address'), h('th', {}, 'Link'), h('th', {}, 'Actions'))),
        this.recorderRows),
        h('form', { class: 'add-recorder', onsubmit: (event) => { event.preventDefault(); this.#createCode(); } },
          h('h3', {}, 'Add a recorder'),
          h('label', {}, 'Name of the new recorder ', this.codeName),
          h('button', { type: 'submit' }, 'Create activation code'),
          this.codeResult)),
      this.usersSection);
  }

  show() {
    this.element.hidden = false;
    this.#loadUsers();
  }

  hide() {
    this.element.hidden = true;
  }

  /** Every recorder of the organization, revoked ones too (RecorderView[]). */
  setRecorders(recorders) {
    this.recorders = recorders;
    const shown = JSON.stringify(recorders.map(({ since, ...shownFields }) => shownFields)) + this.confirming;
    if (this.editing || shown === this.shown) return; // not while a name is typed, nor when nothing changed
    this.shown = shown;
    this.recorderRows.replaceChildren(...recorders.map((r) => this.#recorderRow(r)));
  }

  #render() {
    this.shown = null;
    this.setRecorders(this.recorders);
  }

  #recorderRow(recorder) {
    const state = recorder.revoked ? 'revoked' : recorder.online ? 'online' : 'offline';
    const actions = h('td', { class: 'actions' });
    const nameCell = h('td', { class: 'name' }, recorder.name);
    if (!recorder.revoked) {
      actions.append(
        h('button', { type: 'button', class: 'rename', 'aria-label': `Rename ${recorder.name}`,
          onclick: () => this.#startRename(recorder, nameCell) }, 'Rename'),
        h('button', { type: 'button', class: 'revoke', 'aria-label': `Revoke ${recorder.name}`,
          onclick: (event) => this.#revoke(recorder, event.target) },
        this.confirming === recorder.id ? `Really revoke ${recorder.name}?` : 'Revoke'));
    }
    return h('tr', { 'data-recorder': recorder.id },
      nameCell,
      h('td', {}, h('span', { class: `state ${state}` }, state)),
      h('td', {}, recorder.publicAddress || '—'),
      h('td', {}, [recorder.transport, recorder.viaProxy ? 'via proxy' : ''].filter(Boolean).join(', ') || '—'),
      actions);
  }

  #startRename(recorder, cell) {
    this.editing = true;
    const input = h('input', { name: 'new-name', value: recorder.name, maxLength: 100, 'aria-label': `New name for ${recorder.name}` });
    const error = h('span', { class: 'error', role: 'alert' });
    const done = () => {
      this.editing = false;
      this.#render();
    };
    cell.replaceChildren(h('form', { class: 'rename-form', onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api.renameRecorder(recorder.id, input.value);
        this.editing = false;
        this.#render();
        this.onChange();
      } catch (e) {
        error.textContent = e.message;
      }
    } }, input, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', onclick: done }, 'Cancel'), error));
    input.focus();
    input.select();
  }

  /** Two steps, so one stray click never cuts a site off. */
  async #revoke(recorder, button) {
    if (this.confirming !== recorder.id) {
      this.confirming = recorder.id;
      this.#render();
      this.recorderRows.querySelector(`tr[data-recorder="${recorder.id}"] button.revoke`)?.focus();
      return;
    }
    try {
      await api.revokeRecorder(recorder.id);
      this.confirming = null;
      this.onChange();
    } catch (e) {
      button.textContent = `Revoke failed: ${e.message}`;
    }
  }

  async #createCode() {
    this.codeResult.replaceChildren();
    try {
      const code = await api.createActivationCode(this.codeName.value);
      this.codeResult.replaceChildren(
        h('p', {}, 'Activation code for ', h('strong', {}, code.recorderName), ' (single use, valid until ',
          new Date(code.expiresAt).toLocaleString(), '):'),
        h('p', { class: 'code' }, h('code', { 'data-code': code.code }, code.code)),
        h('p', {}, 'On the recorder, run once:'),
        h('pre', {}, `./outpost recorder --data DIR --cloud ${location.origin} --activate ${code.code}`));
      this.codeName.value = '';
    } catch (e) {
      this.codeResult.replaceChildren(h('p', { class: 'error' }, e.message));
    }
  }

  async #loadUsers() {
    if (this.me.role !== 'admin') return;
    try {
      const users = await api.users();
      this.userRows.replaceChildren(...users.map((u) => this.#userRow(u)));
      this.loads = (this.loads ?? 0) + 1;
      this.usersSection.dataset.loads = String(this.loads); // each reading of the users, for tests
    } catch (e) {
      this.userError.textContent = e.message;
    }
  }

  #userRow(user) {
    const self = user.id === this.me.id;
    const role = h('select', { name: 'role', 'aria-label': `Role of ${user.email}`, disabled: self,
      onchange: async () => {
        try {
          await api.changeUserRole(user.id, role.value);
          this.userError.textContent = '';
        } catch (e) {
          this.userError.textContent = e.message;
        }
        await this.#loadUsers();
      } }, ...Object.keys(ROLES).map((value) => h('option', { value }, value)));
    role.value = user.role;
    const remove = h('button', { type: 'button', class: 'remove', 'aria-label': `Remove ${user.email}`,
      onclick: async () => {
        if (remove.dataset.confirm !== 'yes') { // two steps, as for revoking
          remove.dataset.confirm = 'yes';
          remove.textContent = `Really remove ${user.email}?`;
          return;
        }
        try {
          await api.removeUser(user.id);
        } catch (e) {
          this.userError.textContent = e.message;
        }
        await this.#loadUsers();
      } }, 'Remove');
    return h('tr', { 'data-user': user.email },
      h('td', {}, user.email, self ? ' (you)' : ''),
      h('td', {}, role),
      h('td', { class: 'actions' }, self ? '' : remove));
  }

  async #addUser() {
    this.userError.textContent = '';
    try {
      await api.createUser(this.userEmail.value, this.userPassword.value, this.userRole.value);
      this.userEmail.value = '';
      this.userPassword.value = '';
      await this.#loadUsers();
    } catch (e) {
      this.userError.textContent = e.message;
    }
  }
}
