// Reading the live stream's fragmented MP4 (ISO/IEC 14496-12) just enough to feed MSE: whole top-level boxes
// from a byte stream, the codec string from the init segment's avcC, and the capture time in each prft.

const MAX_BOX_BYTES = 32 * 1024 * 1024; // a fragment is one picture; 4MP keyframes are well under this

/** Type of the box at `at`, as four characters. */
function typeAt(bytes, at) {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function u32(bytes, at) {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

function u64(bytes, at) {
  return u32(bytes, at) * 2 ** 32 + u32(bytes, at + 4);
}

/** Header of the box at `at` within `end`: {type, start, body, end}; throws on a size that does not fit. */
function boxAt(bytes, at, end) {
  let size = u32(bytes, at);
  let header = 8;
  if (size === 1) {
    size = u64(bytes, at + 8);
    header = 16;
  } else if (size === 0) {
    size = end - at;
  }
  if (size < header || at + size > end) {
    throw new Error(`MP4 box '${typeAt(bytes, at + 4)}' at byte ${at}: size ${size} does not fit`);
  }
  return { type: typeAt(bytes, at + 4), start: at, body: at + header, end: at + size };
}

/** Cuts a byte stream into whole top-level boxes, whatever the chunk sizes (bounded: one box at a time). */
export class BoxSplitter {
  constructor() {
    this.pending = new Uint8Array(0);
  }

  /** Adds a chunk; returns the boxes it completes, each {type, bytes}. */
  push(chunk) {
    let bytes = chunk;
    if (this.pending.length > 0) {
      bytes = new Uint8Array(this.pending.length + chunk.length);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.length);
    }
    const boxes = [];
    let at = 0;
    while (bytes.length - at >= 16 || (bytes.length - at >= 8 && u32(bytes, at) !== 1)) {
      let size = u32(bytes, at);
      if (size === 1) size = u64(bytes, at + 8);
      if (size < 8 || size > MAX_BOX_BYTES) {
        throw new Error(`MP4 box '${typeAt(bytes, at + 4)}' of ${size} bytes: not a stream this player reads`);
      }
      if (bytes.length - at < size) break;
      boxes.push({ type: typeAt(bytes, at + 4), bytes: bytes.subarray(at, at + size) });
      at += size;
    }
    this.pending = bytes.slice(at);
    return boxes;
  }
}

// Bytes from a box's body to its children: stsd has a count; a visual sample entry has 78 bytes of fields.
const CHILDREN_OFFSET = { moov: 0, trak: 0, mdia: 0, minf: 0, stbl: 0, stsd: 8, avc1: 78, avc3: 78 };

/** The first box along `path` (for example ['trak', 'mdia', 'mdhd']) inside bytes[from, to). */
function find(bytes, from, to, path) {
  for (let at = from; at + 8 <= to;) {
    const box = boxAt(bytes, at, to);
    if (box.type === path[0]) {
      if (path.length === 1) return box;
      if (box.type in CHILDREN_OFFSET) {
        const found = find(bytes, box.body + CHILDREN_OFFSET[box.type], box.end, path.slice(1));
        if (found) return found;
      }
    }
    at = box.end;
  }
  return null;
}

const hex2 = (n) => n.toString(16).padStart(2, '0');

/**
 * The RFC 6381 codec string of an init segment's moov, such as "avc1.640028": profile, constraint flags and
 * level from the avcC (ISO/IEC 14496-15 section 5.3.3.1).
 */
export function codecOf(moov) {
  const stsd = ['trak', 'mdia', 'minf', 'stbl', 'stsd'];
  const entry = find(moov, 8, moov.length, [...stsd, 'avc1']) || find(moov, 8, moov.length, [...stsd, 'avc3']);
  if (!entry) throw new Error('the stream is not H.264: no avc1 sample entry in its init segment');
  const avcC = find(moov, entry.body + 78, entry.end, ['avcC']);
  if (!avcC) throw new Error('the H.264 sample entry has no avcC');
  const b = avcC.body;
  return `${entry.type}.${hex2(moov[b + 1])}${hex2(moov[b + 2])}${hex2(moov[b + 3])}`;
}

/** Ticks per second of the first track's media time (mdhd). */
export function timescaleOf(moov) {
  const mdhd = find(moov, 8, moov.length, ['trak', 'mdia', 'mdhd']);
  if (!mdhd) throw new Error('the init segment has no mdhd');
  const version = moov[mdhd.body];
  return u32(moov, mdhd.body + (version === 1 ? 20 : 12));
}

const NTP_TO_UNIX_SECONDS = 2208988800;

/**
 * A prft box (ISO/IEC 14496-12 section 8.16.5): the wall-clock capture time (ms since 1970) of the media time
 * given in the track's timescale.
 */
export function readPrft(prft) {
  const version = prft[8];
  const ntpSeconds = u32(prft, 16);
  const ntpFraction = u32(prft, 20);
  const mediaTime = version === 1 ? u64(prft, 24) : u32(prft, 24);
  return { captureMs: (ntpSeconds - NTP_TO_UNIX_SECONDS) * 1000 + (ntpFraction / 2 ** 32) * 1000, mediaTime };
}
