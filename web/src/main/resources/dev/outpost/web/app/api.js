// The app's one door to the server: the cloud's API, and each recorder's API through the cloud's relay; or, when a
// recorder serves the app on its own port for its LAN, that recorder's API directly with a grant (docs/web.md).
// On the cloud the session lives in an HttpOnly cookie the app never sees; every call just sends it along.

// Where the API is: the page's own origin unless <meta name="outpost-api-base"> says otherwise.
const BASE = document.querySelector('meta[name="outpost-api-base"]')?.content || '/';

/** An answer other than 2xx: `status`, and the API's error word in `code`. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function url(path) {
  return new URL(path.replace(/^\//, ''), new URL(BASE, location.href)).href;
}

const CALL_TIMEOUT_MS = 10000; // an API call, not a stream: past this the answer is not coming

/**
 * On a recorder's own port: {recorderId, recorderName, cloudUrl} from its /local-site.json; on the cloud, which has
 * no such file, null.
 */
async function readLocalSite() {
  try {
    const response = await fetch(url('/local-site.json'), { cache: 'no-store', signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

export const localSite = await readLocalSite();

/**
 * The grant this browser holds for the recorder whose page this is (local mode only), kept in localStorage so the
 * recorder stays usable while the cloud is out of reach, until the grant expires.
 */
export const localGrant = {
  key: localSite ? `outpost.grant.${localSite.recorderId}` : null,
  /** {grant, expiresAt} while valid, else null. */
  read() {
    try {
      const held = JSON.parse(localStorage.getItem(this.key) ?? 'null');
      return held && Date.parse(held.expiresAt) > Date.now() ? held : null;
    } catch {
      return null;
    }
  },
  save(grant, expiresAt) {
    localStorage.setItem(this.key, JSON.stringify({ grant, expiresAt }));
  },
  clear() {
    localStorage.removeItem(this.key);
  },
};

/** The headers that authorize a call: the grant on a recorder's own port; none on the cloud (the cookie does). */
export function authHeaders() {
  const held = localSite ? localGrant.read() : null;
  return held ? { Authorization: `Bearer ${held.grant}` } : {};
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(url(path), {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      headers: { ...authHeaders(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new ApiError(`cannot reach ${localSite ? 'the recorder' : 'Outpost'}: ${error.message}`, 0, 'unreachable');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(data.message || response.statusText, response.status, data.error || '');
  return data;
}

/** The path of `path` on recorder `recorderId`: through the relay, or as it is on the recorder's own port. */
export function recorderPath(recorderId, path) {
  return localSite ? path : `/relay/${encodeURIComponent(recorderId)}${path}`;
}

export const api = {
  me: () => call('GET', '/api/me'),
  login: (email, password) => call('POST', '/api/login', { email, password }),
  logout: () => call('POST', '/api/logout'),
  recorders: () => call('GET', '/api/recorders'),
  localSignIn: (recorderId, returnTo) =>
    call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/local-sign-in`, { returnTo }),
  recorderInfo: () => call('GET', '/api/info'),
  connect: (recorderId) => call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/connect`),
  renameRecorder: (recorderId, name) => call('PATCH', `/api/recorders/${encodeURIComponent(recorderId)}`, { name }),
  revokeRecorder: (recorderId) => call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/revoke`),
  createActivationCode: (name) => call('POST', '/api/activation-codes', { name }),
  users: () => call('GET', '/api/users'),
  createUser: (email, password, role) => call('POST', '/api/users', { email, password, role }),
  changeUserRole: (userId, role) => call('PATCH', `/api/users/${encodeURIComponent(userId)}`, { role }),
  removeUser: (userId) => call('DELETE', `/api/users/${encodeURIComponent(userId)}`),
  alerts: (recorderId, limit) => call('GET', `/api/alerts?limit=${limit}${recorderId ? `&recorder=${encodeURIComponent(recorderId)}` : ''}`),
  cameraImages: (recorderId, limit) =>
    call('GET', `/api/images?limit=${limit}${recorderId ? `&recorder=${encodeURIComponent(recorderId)}` : ''}`),
  backups: (recorderId) => call('GET', `/api/recorders/${encodeURIComponent(recorderId)}/backups`),
  requestBackup: (recorderId) => call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/backups`),
  exportClip: (recorderId, request) => call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/exports`, request),
  exportStatus: (recorderId, exportId) =>
    call('GET', `/api/recorders/${encodeURIComponent(recorderId)}/exports/${encodeURIComponent(exportId)}`),
  clips: (recorderId, limit) => call('GET', `/api/clips?limit=${limit}${recorderId ? `&recorder=${encodeURIComponent(recorderId)}` : ''}`),
  clipUsage: () => call('GET', '/api/clips/usage'),
  deleteClip: (clipId) => call('DELETE', `/api/clips/${encodeURIComponent(clipId)}`),
  shareClip: (clipId, minutes) => call('POST', `/api/clips/${encodeURIComponent(clipId)}/shares`, { minutes }),
  clipUrl: (clipId, download) => url(`/api/clips/${encodeURIComponent(clipId)}/video.mp4${download ? '?download=1' : ''}`),
  cameras: (recorderId) => call('GET', recorderPath(recorderId, '/api/cameras')),
  recordings: (recorderId, cameraId, from, to, stream) => call('GET', recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/recordings?from=${from.toISOString()}&to=${to.toISOString()}&stream=${stream}`)),
  playbackUrl: (recorderId, cameraId, start, stream, speed) => url(recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/playback.mp4?start=${start.toISOString()}&stream=${stream}&speed=${speed}`)),
  snapshotUrl: (recorderId, cameraId, at, stream) => url(recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg?at=${at.toISOString()}&stream=${stream}`)),
  liveUrl: (recorderId, cameraId, stream) =>
    url(recorderPath(recorderId, livePath(cameraId, stream))),
};

/** A camera's live stream, as a path on its recorder. */
export function livePath(cameraId, stream) {
  return `/api/cameras/${encodeURIComponent(cameraId)}/live.mp4?stream=${stream}`;
}

