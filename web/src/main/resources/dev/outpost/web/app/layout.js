// Grid layouts of the live view: how many tiles, in how many columns, and which cameras a page shows.

export const LAYOUTS = [1, 4, 9, 16];

export function columnsOf(tiles) {
  return Math.ceil(Math.sqrt(tiles));
}

/** A layout of the ones offered, falling back to 4 for anything else (an old or edited preference). */
export function layoutOf(value) {
  const tiles = Number(value);
  return LAYOUTS.includes(tiles) ? tiles : 4;
}

/** How many pages `count` cameras fill at `tiles` per page (at least one, even with no camera). */
export function pageCount(count, tiles) {
  return Math.max(1, Math.ceil(count / tiles));
}

/** The cameras on page `page` (0-based, clamped) at `tiles` per page. */
export function pageOf(cameras, tiles, page) {
  const last = pageCount(cameras.length, tiles) - 1;
  const clamped = Math.min(Math.max(0, page), last);
  return { page: clamped, cameras: cameras.slice(clamped * tiles, clamped * tiles + tiles) };
}

/** The page showing camera number `index` at `tiles` per page. */
export function pageShowing(index, tiles) {
  return Math.floor(index / tiles);
}
