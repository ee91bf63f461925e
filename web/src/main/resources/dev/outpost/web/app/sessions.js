// Who is using the app and what they may see: on the cloud, the session (cookie) and the organization's recorders;
// on a recorder's own port (docs/web.md, "On the recorder's LAN port"), a grant for that one recorder, obtained by
// signing in at the cloud, which sends the user back with it. Each session gives the app the same few things.
import { api, localGrant, localSite } from './api.js';
import { h } from './dom.js';

const $ = (selector) => document.querySelector(selector);

// The cloud's half of the LAN sign-in: a recorder's page sent the user here with ?sign-in-for=ID&return=ADDRESS.
const signInFor = new URLSearchParams(location.search);
const LOCAL_SIGN_IN = !localSite && signInFor.has('sign-in-for')
  ? { recorderId: signInFor.get('sign-in-for'), returnTo: signInFor.get('return') ?? '' } : null;
const SIGNED_OUT = 'outpost.signedOut'; // sessionStorage: the user signed out of a recorder's page; do not sign in again

/** Signed in to the cloud: ask for a grant for the recorder and go back to it with the grant in the fragment. */
async function returnToRecorder() {
  $('#problem').textContent = 'Signing you in to the recorder on your network…';
  $('#problem').hidden = false;
  const granted = await api.localSignIn(LOCAL_SIGN_IN.recorderId, LOCAL_SIGN_IN.returnTo);
  // The fragment never reaches a server, a log or a Referer; the recorder's page takes it and removes it.
  location.replace(`${granted.returnTo}#grant=${encodeURIComponent(granted.grant)}`
    + `&expires=${encodeURIComponent(granted.expiresAt)}`);
}

/** On a recorder's own port: where to sign in (the cloud), and how to come back here. */
function cloudSignInUrl() {
  const target = new URL('/', localSite.cloudUrl);
  target.searchParams.set('sign-in-for', localSite.recorderId);
  target.searchParams.set('return', `${location.origin}/`);
  return target.href;
}

export function showLocalSignIn(automatically) {
  const link = h('a', { class: 'button', href: cloudSignInUrl(), id: 'local-sign-in',
    onclick: () => sessionStorage.removeItem(SIGNED_OUT) }, 'Sign in with Outpost');
  $('main').replaceChildren(h('section', { class: 'local-sign-in' },
    h('h2', {}, `Recorder ${localSite.recorderName}`),
    h('p', {}, 'To watch this recorder on your network, sign in with your Outpost account. '
      + 'Once signed in, it keeps working here even when the internet is down, until the sign-in expires.'),
    link));
  if (automatically) location.assign(link.href);
}

/** A grant the cloud sent back in the fragment (#grant=...&expires=...): kept, and taken out of the address. */
function takeGrantFromAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has('grant') && params.has('expires')) {
    localGrant.save(params.get('grant'), params.get('expires'));
    sessionStorage.removeItem(SIGNED_OUT);
  }
  if (location.hash) history.replaceState(null, '', location.pathname);
}

/** What the app shows, from the cloud (session cookie) or from the recorder whose page this is (grant). */
export async function cloudSession() {
  const me = await api.me();
  if (LOCAL_SIGN_IN) {
    try {
      await returnToRecorder();
      return null;
    } catch (e) {
      $('#problem').textContent = `Cannot sign in to that recorder: ${e.message}`;
      history.replaceState(null, '', '/');
    }
  }
  return {
    me,
    who: `${me.email} (${me.role}, ${me.organizationName})`,
    managing: me.role === 'admin' || me.role === 'installer',
    recorders: api.recorders,
    logout: async () => {
      await api.logout().catch(() => {});
      location.reload();
    },
    expired: () => location.reload(), // session ended: log in again
  };
}

export async function localSession() {
  takeGrantFromAddress();
  const held = localGrant.read();
  if (!held) {
    showLocalSignIn(!sessionStorage.getItem(SIGNED_OUT));
    return null;
  }
  const info = await api.recorderInfo();
  const recorder = (online) => ({ id: info.recorderId, name: info.name, online, revoked: false, since: info.startedAt });
  return {
    me: { id: info.userId, role: 'viewer' },
    who: `On this network, signed in until ${new Date(held.expiresAt).toLocaleString()}`,
    managing: false, // management is the cloud's
    recorders: async () => {
      try {
        await api.recorderInfo();
        return [recorder(true)];
      } catch (e) {
        if (e.status === 401) throw e;
        return [recorder(false)]; // unreachable: its tiles say it is offline
      }
    },
    logout: async () => {
      localGrant.clear();
      sessionStorage.setItem(SIGNED_OUT, '1');
      location.reload();
    },
    expired: () => {
      localGrant.clear();
      location.reload(); // signs in again through the cloud
    },
  };
}
