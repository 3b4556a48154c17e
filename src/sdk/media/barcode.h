/* The fake camera's frame stamp: a frame counter and a capture time drawn into the top of an
 * I420 picture as black/white cells, so that a receiver can read them back from the decoded
 * picture (after VP8/VP9/H264 and any scaling) to count frames and measure glass-to-glass
 * latency.
 *
 * Layout: the top 3/20 of the picture is a grid of 32 columns x 3 rows of cells; a white cell is
 * a 1 bit, most significant bit first. Row 0 is the frame counter, row 1 the capture time (low
 * 32 bits of wall-clock microseconds, g_get_real_time), row 2 a check word (counter ^ time ^
 * MPRTC__BARCODE_CHECK) that tells a real stamp from a picture that has none. A browser page can
 * draw the same cells on a canvas (bench/ does) and be read the same way.
 *
 * Thread rules: pure functions, any thread.
 */
#ifndef MPRTC_SDK_MEDIA_BARCODE_H
#define MPRTC_SDK_MEDIA_BARCODE_H

#include <stdbool.h>
#include <stdint.h>

#define MPRTC__BARCODE_COLUMNS 32
#define MPRTC__BARCODE_ROWS 3
#define MPRTC__BARCODE_CHECK 0x5A5A5A5Au

typedef struct {
  uint32_t counter;
  uint32_t time_us; /* low 32 bits of wall-clock microseconds at capture */
} mprtc__barcode;

/* The smallest picture that carries a readable stamp (cells of 2x2 luma pixels at least). */
#define MPRTC__BARCODE_MIN_WIDTH 64
#define MPRTC__BARCODE_MIN_HEIGHT 40

/* Draws code into an I420 picture: y, u, v planes with their strides. A picture smaller than
 * the minimum is left alone. */
void mprtc__barcode_stamp(uint8_t *y, int y_stride, uint8_t *u, int u_stride, uint8_t *v, int v_stride,
                         int width, int height, mprtc__barcode code);

/* Reads a stamp from the luma plane. Returns false when the picture carries none (check word
 * wrong) or is too small. */
bool mprtc__barcode_read(const uint8_t *y, int y_stride, int width, int height, mprtc__barcode *out);

#endif
