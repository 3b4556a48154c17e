// The mprtc frame stamp (src/sdk/media/barcode.c) in JavaScript, for the Chromium side of
// bench/media: a 32x3 grid of black/white cells in the top 3/20 of an I420 picture holding a
// frame counter, the low 32 bits of wall-clock microseconds at capture, and a check word.
const COLUMNS = 32, ROWS = 3, CHECK = 0x5A5A5A5A;

function cellBounds(width, height, col, row) {
  const band = Math.floor(height * 3 / 20);
  return [Math.floor(col * width / COLUMNS), Math.floor((col + 1) * width / COLUMNS),
          Math.floor(row * band / ROWS), Math.floor((row + 1) * band / ROWS)];
}

// Low 32 bits of wall-clock microseconds: the clock mprtc's fake camera stamps with.
export const wallMicros32 = () => Math.round((performance.timeOrigin + performance.now()) * 1000) % 2 ** 32;

export function stamp(y, yStride, u, v, uvStride, width, height, counter, timeUs) {
  const words = [counter >>> 0, timeUs >>> 0, (counter ^ timeUs ^ CHECK) >>> 0];
  for (let row = 0; row < ROWS; row++) {
    for (let col = 0; col < COLUMNS; col++) {
      const luma = (words[row] >>> (31 - col)) & 1 ? 235 : 16;
      const [x0, x1, y0, y1] = cellBounds(width, height, col, row);
      for (let yy = y0; yy < y1; yy++) y.fill(luma, yy * yStride + x0, yy * yStride + x1);
    }
  }
  const band = Math.floor(height * 3 / 20);
  for (let yy = 0; yy < (band + 1) >> 1; yy++) {
    u.fill(128, yy * uvStride, yy * uvStride + ((width + 1) >> 1));
    v.fill(128, yy * uvStride, yy * uvStride + ((width + 1) >> 1));
  }
}

// {counter, timeUs} from a luma plane, or null when the picture has no stamp.
export function read(y, yStride, width, height) {
  const words = [0, 0, 0];
  for (let row = 0; row < ROWS; row++) {
    for (let col = 0; col < COLUMNS; col++) {
      let [x0, x1, y0, y1] = cellBounds(width, height, col, row);
      const dx = (x1 - x0) >> 2, dy = (y1 - y0) >> 2;
      x0 += dx; x1 -= dx; y0 += dy; y1 -= dy;
      if (x1 <= x0) x1 = x0 + 1;
      if (y1 <= y0) y1 = y0 + 1;
      let sum = 0, n = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++, n++) sum += y[yy * yStride + xx];
      words[row] = ((words[row] << 1) | (Math.floor(sum / n) >= 126 ? 1 : 0)) >>> 0;
    }
  }
  if (((words[0] ^ words[1] ^ CHECK) >>> 0) !== words[2]) return null;
  return { counter: words[0], timeUs: words[1] };
}
