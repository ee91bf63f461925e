// Which way each recorder's video reaches this browser (docs/web.md, "Paths in the browser"). The cloud's broker
// (POST /api/recorders/{id}/connect) lists the paths best first with a grant; a LAN path is tried by the one name the
// recorder's certificate carries, on the port the recorder reported, and used if it answers within PROBE_MS; else
// the relay. On a recorder's own page the way is always that recorder, on the LAN.
import { api, authHeaders, localSite, url } from './api.js';

const PROBE_MS = 1500; // a LAN answer comes in milliseconds; an untrusted certificate fails at once
const RENEW_BEFORE_MS = 60000; // a route's grant is renewed this long before it expires
const LAN_AGAIN_AFTER_MS = 30000; // after the LAN failed, the relay for this long before the LAN is tried again

export const PATH_LABELS = { lan: 'LAN', direct: 'Direct', relay: 'Relay' };

function relayRoute(recorderId, until) {
  return { kind: 'relay', base: url(`/relay/${encodeURIComponent(recorderId)}`), headers: {}, until };
}

/** Whether the recorder answers `GET base/api/info` with this grant in time (CORS from the cloud's origin). */
async function answers(base, headers) {
  try {
    const response = await fetch(`${base}/api/info`, {
      headers, mode: 'cors', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_MS),
    });
    return response.ok;
  } catch {
    return false; // unknown name, refused, untrusted certificate, blocked by the browser, or too slow
  }
}

/** The chosen way to each recorder, shared by its tiles: {kind, base, headers, until}. */
export class RecorderPaths {
  #routes = new Map(); // recorder id -> {promise, until}
  #lanFailedAt = new Map();

  /** The way to `recorderId` now: a promise of {kind, base (URL the recorder's paths follow), headers}. */
  route(recorderId) {
    if (localSite) {
      return Promise.resolve({ kind: 'lan', base: location.origin, headers: authHeaders(), until: Infinity });
    }
    const known = this.#routes.get(recorderId);
    if (known && known.until > Date.now()) return known.promise;
    const entry = { until: Infinity, promise: null };
    entry.promise = this.#choose(recorderId).then((route) => {
      entry.until = route.until;
      return route;
    });
    this.#routes.set(recorderId, entry);
    return entry.promise;
  }

  /** A stream on `route` failed: a LAN is left for the relay for a while; the next route() asks again. */
  failed(recorderId, route) {
    if (route.kind !== 'relay') this.#lanFailedAt.set(recorderId, Date.now());
    this.#routes.delete(recorderId);
  }

  async #choose(recorderId) {
    const lanFailed = Date.now() - (this.#lanFailedAt.get(recorderId) ?? -Infinity) < LAN_AGAIN_AFTER_MS;
    if (lanFailed) return relayRoute(recorderId, (this.#lanFailedAt.get(recorderId)) + LAN_AGAIN_AFTER_MS);
    let view;
    try {
      view = await api.connect(recorderId);
    } catch {
      return relayRoute(recorderId, Date.now() + LAN_AGAIN_AFTER_MS); // the relay says why, if it cannot either
    }
    const headers = { Authorization: `Bearer ${view.grant}` };
    const until = Date.parse(view.expiresAt) - RENEW_BEFORE_MS;
    // The certificate names the recorder, not an address: the browser must reach it by that name (the LAN's DNS).
    const bases = [...new Set(view.paths.filter((p) => p.kind === 'lan' && p.url.startsWith('https://'))
      .map((p) => `https://${view.certificateName}:${new URL(p.url).port || 443}`))];
    for (const base of bases) {
      if (await answers(base, headers)) return { kind: 'lan', base, headers, until };
    }
    return relayRoute(recorderId, bases.length ? Date.now() + LAN_AGAIN_AFTER_MS : until);
  }
}

export const recorderPaths = new RecorderPaths();
