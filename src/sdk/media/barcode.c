/* The frame stamp: see barcode.h. */
#include "sdk/media/barcode.h"

/* Cell (col, row) covers x in [x0, x1), y in [y0, y1). Integer division spreads the remainder,
 * so cells line up with any picture width. */
static void cell_bounds(int width, int height, int col, int row, int *x0, int *x1, int *y0, int *y1) {
  int band = height * 3 / 20;
  *x0 = col * width / MPRTC__BARCODE_COLUMNS;
  *x1 = (col + 1) * width / MPRTC__BARCODE_COLUMNS;
  *y0 = row * band / MPRTC__BARCODE_ROWS;
  *y1 = (row + 1) * band / MPRTC__BARCODE_ROWS;
}

static bool big_enough(int width, int height) {
  return width >= MPRTC__BARCODE_MIN_WIDTH && height >= MPRTC__BARCODE_MIN_HEIGHT;
}

static uint32_t row_word(mprtc__barcode code, int row) {
  if (row == 0) return code.counter;
  if (row == 1) return code.time_us;
  return code.counter ^ code.time_us ^ MPRTC__BARCODE_CHECK;
}

void mprtc__barcode_stamp(uint8_t *y, int y_stride, uint8_t *u, int u_stride, uint8_t *v, int v_stride,
                         int width, int height, mprtc__barcode code) {
  if (!big_enough(width, height)) return;
  for (int row = 0; row < MPRTC__BARCODE_ROWS; row++) {
    uint32_t word = row_word(code, row);
    for (int col = 0; col < MPRTC__BARCODE_COLUMNS; col++) {
      /* Studio-range black and white: what a decoder reproduces best. */
      uint8_t luma = (word >> (31 - col)) & 1 ? 235 : 16;
      int x0, x1, y0, y1;
      cell_bounds(width, height, col, row, &x0, &x1, &y0, &y1);
      for (int yy = y0; yy < y1; yy++)
        for (int xx = x0; xx < x1; xx++) y[yy * y_stride + xx] = luma;
    }
  }
  /* Grey chroma under the band: no colour bleeds into the cells. */
  int band = height * 3 / 20;
  for (int yy = 0; yy < (band + 1) / 2; yy++)
    for (int xx = 0; xx < (width + 1) / 2; xx++) {
      u[yy * u_stride + xx] = 128;
      v[yy * v_stride + xx] = 128;
    }
}

/* Mean luma of the middle half of a cell: edges blur under compression and scaling. */
static int cell_mean(const uint8_t *y, int y_stride, int width, int height, int col, int row) {
  int x0, x1, y0, y1;
  cell_bounds(width, height, col, row, &x0, &x1, &y0, &y1);
  int dx = (x1 - x0) / 4, dy = (y1 - y0) / 4;
  x0 += dx, x1 -= dx, y0 += dy, y1 -= dy;
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y1 = y0 + 1;
  long sum = 0, n = 0;
  for (int yy = y0; yy < y1; yy++)
    for (int xx = x0; xx < x1; xx++, n++) sum += y[yy * y_stride + xx];
  return (int)(sum / n);
}

bool mprtc__barcode_read(const uint8_t *y, int y_stride, int width, int height, mprtc__barcode *out) {
  if (!big_enough(width, height)) return false;
  uint32_t words[MPRTC__BARCODE_ROWS] = {0};
  for (int row = 0; row < MPRTC__BARCODE_ROWS; row++)
    for (int col = 0; col < MPRTC__BARCODE_COLUMNS; col++)
      words[row] = (words[row] << 1) | (cell_mean(y, y_stride, width, height, col, row) >= 126);
  if ((words[0] ^ words[1] ^ MPRTC__BARCODE_CHECK) != words[2]) return false;
  out->counter = words[0];
  out->time_us = words[1];
  return true;
}
