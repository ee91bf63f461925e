// The app's one door to the server: the cloud's API, and each recorder's API through the cloud's relay.
// The session lives in an HttpOnly cookie the app never sees; every call just sends it along.

// Where the API is: the page's own origin unless <meta name="outpost-api-base"> says otherwise (a recorder
// serving this app on its LAN port will set it).
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

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(url(path), {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new ApiError(`cannot reach Outpost: ${error.message}`, 0, 'unreachable');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(data.message || response.statusText, response.status, data.error || '');
  return data;
}

/** The path of `path` on recorder `recorderId`, through the relay. */
export function recorderPath(recorderId, path) {
  return `/relay/${encodeURIComponent(recorderId)}${path}`;
}

export const api = {
  me: () => call('GET', '/api/me'),
  login: (email, password) => call('POST', '/api/login', { email, password }),
  logout: () => call('POST', '/api/logout'),
  recorders: () => call('GET', '/api/recorders'),
  renameRecorder: (recorderId, name) => call('PATCH', `/api/recorders/${encodeURIComponent(recorderId)}`, { name }),
  revokeRecorder: (recorderId) => call('POST', `/api/recorders/${encodeURIComponent(recorderId)}/revoke`),
  createActivationCode: (name) => call('POST', '/api/activation-codes', { name }),
  users: () => call('GET', '/api/users'),
  createUser: (email, password, role) => call('POST', '/api/users', { email, password, role }),
  changeUserRole: (userId, role) => call('PATCH', `/api/users/${encodeURIComponent(userId)}`, { role }),
  removeUser: (userId) => call('DELETE', `/api/users/${encodeURIComponent(userId)}`),
  cameras: (recorderId) => call('GET', recorderPath(recorderId, '/api/cameras')),
  recordings: (recorderId, cameraId, from, to, stream) => call('GET', recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/recordings?from=${from.toISOString()}&to=${to.toISOString()}&stream=${stream}`)),
  playbackUrl: (recorderId, cameraId, start, stream, speed) => url(recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/playback.mp4?start=${start.toISOString()}&stream=${stream}&speed=${speed}`)),
  snapshotUrl: (recorderId, cameraId, at, stream) => url(recorderPath(recorderId,
    `/api/cameras/${encodeURIComponent(cameraId)}/snapshot.jpg?at=${at.toISOString()}&stream=${stream}`)),
  liveUrl: (recorderId, cameraId, stream) =>
    url(recorderPath(recorderId, `/api/cameras/${encodeURIComponent(cameraId)}/live.mp4?stream=${stream}`)),
};
