// The Outpost web client's entry point: the session (log in / out), then the recorder list and the live view,
// kept current by polling the recorders' state. Served by the cloud, or by a recorder on its own port for its LAN,
// where the user signs in through the cloud and comes back with a grant for that recorder (docs/web.md).
import { ApiError, api, localGrant, localSite } from './api.js';
import { ClipsView } from './clips-view.js';
import { h } from './dom.js';
import { HealthView } from './health-view.js';
import { LiveView } from './live-view.js';
import { ManageView } from './manage-view.js';
import { RecordersView } from './recorders-view.js';
import { SearchView } from './search-view.js';
import { cloudSession, localSession, showLocalSignIn } from './sessions.js';
import { DEFAULT_SD, Preferences } from './stream-choice.js';

const RECORDERS_EVERY_MS = 3000; // an offline recorder shows within seconds
const CAMERAS_EVERY_MS = 15000;

const $ = (selector) => document.querySelector(selector);

function showLogin() {
  const form = $('#login');
  const error = form.querySelector('.error');
  form.hidden = false;
  form.querySelector('input[name=email]').focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    error.textContent = '';
    try {
      await api.login(data.get('email'), data.get('password'));
      form.hidden = true;
      form.reset();
      await start();
    } catch (e) {
      error.textContent = e.status === 401 ? 'Wrong email or password.' : e.message;
    }
  });
}

/** The camera entries of one recorder for the views, from its CameraView[] (or none while unknown). */
function entriesOf(recorder, cameras) {
  return cameras.map((camera) => {
    const sd = camera.streams.find((s) => s.stream === 'sd');
    return {
      key: `${recorder.id}/${camera.id}`,
      recorderId: recorder.id,
      recorderName: recorder.name,
      id: camera.id,
      name: camera.name,
      sd: sd && sd.width > 0 ? { width: sd.width, height: sd.height } : DEFAULT_SD,
      recorderOnline: recorder.online,
      cameraOnline: camera.streams.some((s) => s.state === 'STREAMING'),
    };
  });
}

async function start() {
  const session = localSite ? await localSession() : await cloudSession();
  if (!session) return;
  const { me } = session;
  const preferences = new Preferences(me.id);
  $('#who').textContent = session.who;
  const logout = $('#logout');
  logout.hidden = false;
  logout.onclick = session.logout;

  const live = new LiveView(preferences);
  const views = { live };
  const tabs = {};
  const showView = (name, camera) => {
    for (const [tab, button] of Object.entries(tabs)) button.setAttribute('aria-pressed', String(tab === name));
    for (const [other, view] of Object.entries(views)) if (other !== name) view.hide();
    views[name].show(camera);
  };
  // The clip library is the cloud's: not on a recorder's page, and exports are asked of the cloud.
  views.search = new SearchView((camera) => showView('live', camera),
    !localSite && session.managing ? (clipId) => showView('clips', { clipId }) : undefined);
  if (!localSite) views.clips = new ClipsView(session.managing);
  if (!localSite) views.health = new HealthView(session.managing); // what the cloud keeps: not on a recorder's page
  if (session.managing) views.manage = new ManageView(me, () => poll());
  const labels = { live: 'Live', search: 'Search', clips: 'Clips', health: 'Health', manage: 'Manage' };
  for (const name of Object.keys(views)) {
    tabs[name] = h('button', { type: 'button', 'data-view': name, 'aria-pressed': String(name === 'live'),
      onclick: () => showView(name) }, labels[name]);
  }
  const recordersView = new RecordersView((camera) => (live.element.hidden ? showView('live', camera) : live.showAlone(camera)));
  $('main').replaceChildren(h('div', { class: 'workspace' }, recordersView.element,
    h('div', { class: 'views' },
      h('nav', { class: 'tabs', 'aria-label': 'Views' }, ...Object.values(tabs)),
      ...Object.values(views).map((view) => view.element))));

  const cameras = new Map(); // recorder id -> CameraView[] last read
  const camerasReadAt = new Map();
  const camerasReading = new Set();
  let recorders = [];
  let everyRecorder = []; // revoked ones too, for management

  const publish = () => {
    const entries = new Map(recorders.map((r) => [r.id, entriesOf(r, cameras.get(r.id) ?? [])]));
    recordersView.show(recorders, entries);
    live.setCameras([...entries.values()].flat());
    views.search.setCameras([...entries.values()].flat());
    views.manage?.setRecorders(everyRecorder);
    views.health?.setCameras([...entries.values()].flat());
    views.clips?.setCameras([...entries.values()].flat());
    views.clips?.setRecorders(everyRecorder);
    views.health?.setRecorders(recorders);
  };

  const poll = async () => {
    try {
      everyRecorder = (await session.recorders()).sort((a, b) => a.name.localeCompare(b.name));
      recorders = everyRecorder.filter((r) => !r.revoked);
      $('#problem').hidden = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) session.expired();
      $('#problem').textContent = `Cannot reach Outpost (${e.message}); retrying.`;
      $('#problem').hidden = false;
      return;
    }
    publish();
    // Cameras are read in the background, so a slow recorder never holds up the others' state.
    recorders.filter((r) => r.online && !camerasReading.has(r.id)
      && (!cameras.has(r.id) || Date.now() - (camerasReadAt.get(r.id) ?? 0) > CAMERAS_EVERY_MS))
      .forEach(async (r) => {
        camerasReading.add(r.id);
        try {
          cameras.set(r.id, await api.cameras(r.id));
          camerasReadAt.set(r.id, Date.now());
          publish();
        } catch {
          // Offline meanwhile, or busy: its cameras stay as last known and the next round tries again.
        } finally {
          camerasReading.delete(r.id);
        }
      });
  };

  await poll();
  const loop = async () => {
    await poll();
    setTimeout(loop, RECORDERS_EVERY_MS);
  };
  setTimeout(loop, RECORDERS_EVERY_MS);
}

start().catch((e) => {
  if (localSite && e instanceof ApiError && e.status === 401) {
    localGrant.clear(); // expired, or from a cloud key the recorder no longer knows
    showLocalSignIn(true);
  } else if (e instanceof ApiError && e.status === 401) {
    showLogin();
  } else {
    $('#problem').textContent = `Outpost did not start: ${e.message}`;
    $('#problem').hidden = false;
  }
});
