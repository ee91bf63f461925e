// Which stream a tile plays: HD when the tile shows more pixels than the SD picture has, else SD; a per-camera
// and a whole-view override (Auto / HD / SD) win over that, remembered per user in this browser.

export const CHOICES = ['auto', 'hd', 'sd'];
export const DEFAULT_SD = { width: 704, height: 576 };

/** The stream the rule picks for a tile of `width` x `height` CSS pixels. */
export function automaticStream(width, height, sd = DEFAULT_SD, pixelRatio = window.devicePixelRatio || 1) {
  return width * pixelRatio > sd.width || height * pixelRatio > sd.height ? 'hd' : 'sd';
}

/** The tile's own choice wins, then the view's, then the rule. */
export function chooseStream(tileChoice, viewChoice, automatic) {
  if (tileChoice !== 'auto') return tileChoice;
  if (viewChoice !== 'auto') return viewChoice;
  return automatic;
}

/** One user's viewing preferences in localStorage: layout, the view's stream choice, each camera's. */
export class Preferences {
  constructor(userId) {
    this.key = `outpost.preferences.${userId}`;
    try {
      this.values = JSON.parse(localStorage.getItem(this.key)) || {};
    } catch {
      this.values = {};
    }
    this.values.cameras ??= {};
  }

  #save() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.values));
    } catch {
      // Storage full or disabled: the choice holds until the page closes.
    }
  }

  get layout() {
    return this.values.layout ?? 4;
  }

  set layout(tiles) {
    this.values.layout = tiles;
    this.#save();
  }

  get viewStream() {
    return CHOICES.includes(this.values.viewStream) ? this.values.viewStream : 'auto';
  }

  set viewStream(choice) {
    this.values.viewStream = choice;
    this.#save();
  }

  cameraStream(cameraKey) {
    const choice = this.values.cameras[cameraKey];
    return CHOICES.includes(choice) ? choice : 'auto';
  }

  setCameraStream(cameraKey, choice) {
    if (choice === 'auto') delete this.values.cameras[cameraKey];
    else this.values.cameras[cameraKey] = choice;
    this.#save();
  }
}
