// The confirmed canvas: exactly the server's bytes at `seq`. Optimistic paints
// live elsewhere (pending.js) so that hash checks compare like with like.

export class Bitmap {
  constructor(width, height, data) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`bad canvas size ${width}x${height}`);
    }
    const size = width * height;
    if (data !== undefined && data.length !== size) {
      throw new Error(`canvas has ${data.length} bytes, expected ${size}`);
    }
    this.width = width;
    this.height = height;
    this.data = data ? new Uint8Array(data) : new Uint8Array(size);
  }

  inBounds(x, y) {
    return Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  get(x, y) {
    return this.data[y * this.width + x];
  }

  set(x, y, index) {
    this.data[y * this.width + x] = index;
  }

  /**
   * Applies the pixels of one bulk update in order, starting at `skip` (pixels
   * already applied from an overlapping batch). Returns the touched
   * coordinates, or throws when a pixel cannot be mapped: a colour outside the
   * palette or a coordinate outside the canvas means our view of the world is
   * wrong and the caller must resync rather than guess.
   */
  applyPixels(pixels, palette, skip = 0) {
    const touched = [];
    for (let i = skip; i < pixels.length; i++) {
      const p = pixels[i];
      const index = palette.indexOf(p.color);
      if (index < 0) throw new SyncError(`unknown colour ${p.color}`);
      if (!this.inBounds(p.x, p.y)) throw new SyncError(`pixel out of bounds ${p.x},${p.y}`);
      this.set(p.x, p.y, index);
      touched.push(p);
    }
    return touched;
  }
}

export class SyncError extends Error {}
