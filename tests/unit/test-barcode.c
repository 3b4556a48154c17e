/* The frame stamp (src/sdk/media/barcode.c): round trips at several sizes, survives noise and
 * scaling, and a picture without a stamp is not misread. */
#include <glib.h>
#include <string.h>

#include "sdk/media/barcode.h"

typedef struct {
  int w, h;
  uint8_t *y, *u, *v;
} picture;

static picture picture_new(int w, int h, uint8_t fill) {
  picture p = {w, h, g_malloc(w * h), g_malloc((w + 1) / 2 * ((h + 1) / 2)), g_malloc((w + 1) / 2 * ((h + 1) / 2))};
  memset(p.y, fill, w * h);
  memset(p.u, 90, (w + 1) / 2 * ((h + 1) / 2));
  memset(p.v, 200, (w + 1) / 2 * ((h + 1) / 2));
  return p;
}

static void picture_free(picture *p) {
  g_free(p->y);
  g_free(p->u);
  g_free(p->v);
}

static void stamp(picture *p, mprtc__barcode code) {
  mprtc__barcode_stamp(p->y, p->w, p->u, (p->w + 1) / 2, p->v, (p->w + 1) / 2, p->w, p->h, code);
}

static void test_round_trip(void) {
  static const int sizes[][2] = {{640, 480}, {1280, 720}, {320, 240}, {176, 144}, {64, 40}, {641, 479}};
  for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
    picture p = picture_new(sizes[i][0], sizes[i][1], 77);
    mprtc__barcode in = {0xDEADBEEF, 123456789u + (uint32_t)i}, out = {0};
    stamp(&p, in);
    g_assert_true(mprtc__barcode_read(p.y, p.w, p.w, p.h, &out));
    g_assert_cmpuint(out.counter, ==, in.counter);
    g_assert_cmpuint(out.time_us, ==, in.time_us);
    /* The chroma under the band is neutral, the rest untouched. */
    g_assert_cmpuint(p.u[0], ==, 128);
    g_assert_cmpuint(p.v[0], ==, 128);
    g_assert_cmpuint(p.u[(p.w + 1) / 2 * ((p.h + 1) / 2) - 1], ==, 90);
    picture_free(&p);
  }
}

static void test_noise(void) {
  picture p = picture_new(640, 480, 128);
  mprtc__barcode in = {42, 0x80000001u}, out = {0};
  stamp(&p, in);
  /* +-60 of noise on every luma sample, as a lossy codec at a low bitrate might leave. */
  guint32 seed = 1;
  for (int i = 0; i < p.w * p.h; i++) {
    seed = seed * 1103515245u + 12345u;
    int n = (int)((seed >> 16) % 121) - 60;
    p.y[i] = (uint8_t)CLAMP(p.y[i] + n, 0, 255);
  }
  g_assert_true(mprtc__barcode_read(p.y, p.w, p.w, p.h, &out));
  g_assert_cmpuint(out.counter, ==, 42);
  g_assert_cmpuint(out.time_us, ==, 0x80000001u);
  picture_free(&p);
}

static void test_scaled(void) {
  /* Stamped at 640x480, read at half size (nearest-neighbour downscale): cells scale along. */
  picture big = picture_new(640, 480, 50);
  mprtc__barcode in = {7, 99}, out = {0};
  stamp(&big, in);
  picture small = picture_new(320, 240, 0);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 320; x++) small.y[y * 320 + x] = big.y[(y * 2) * 640 + x * 2];
  g_assert_true(mprtc__barcode_read(small.y, 320, 320, 240, &out));
  g_assert_cmpuint(out.counter, ==, 7);
  picture_free(&big);
  picture_free(&small);
}

static void test_no_stamp(void) {
  mprtc__barcode out = {0};
  for (int fill = 0; fill < 256; fill += 15) {
    picture p = picture_new(640, 480, (uint8_t)fill);
    /* All-black reads as zeros and all-white as ones: both fail the check word. */
    g_assert_false(mprtc__barcode_read(p.y, p.w, p.w, p.h, &out));
    picture_free(&p);
  }
  picture tiny = picture_new(32, 32, 0);
  mprtc__barcode in = {1, 2};
  stamp(&tiny, in); /* too small: left alone */
  g_assert_cmpuint(tiny.y[0], ==, 0);
  g_assert_false(mprtc__barcode_read(tiny.y, 32, 32, 32, &out));
  picture_free(&tiny);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/barcode/round-trip", test_round_trip);
  g_test_add_func("/barcode/noise", test_noise);
  g_test_add_func("/barcode/scaled", test_scaled);
  g_test_add_func("/barcode/no-stamp", test_no_stamp);
  return g_test_run();
}
