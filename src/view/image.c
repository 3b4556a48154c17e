/* Pictures: see image.h. */
#include "view/image.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

struct mprtc__images {
  mprtc__images_read_fn read;
  void *data;
  GHashTable *pictures; /* package path -> cairo_surface_t*, or NULL when it could not be read */
};

mprtc__images *mprtc__images_new(mprtc__images_read_fn read, void *data) {
  mprtc__images *images = g_new0(mprtc__images, 1);
  images->read = read;
  images->data = data;
  images->pictures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)cairo_surface_destroy);
  return images;
}

void mprtc__images_free(mprtc__images *images) {
  if (!images) return;
  g_hash_table_unref(images->pictures);
  g_free(images);
}

/* A pixbuf as a cairo image (premultiplied ARGB32). */
static cairo_surface_t *surface_of(GdkPixbuf *pixbuf) {
  int w = gdk_pixbuf_get_width(pixbuf), h = gdk_pixbuf_get_height(pixbuf);
  int channels = gdk_pixbuf_get_n_channels(pixbuf), stride = gdk_pixbuf_get_rowstride(pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels(pixbuf);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  guint8 *dst = cairo_image_surface_get_data(s);
  int dst_stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; y++) {
    const guint8 *in = src + (gsize)y * stride;
    guint32 *out = (guint32 *)(dst + (gsize)y * dst_stride);
    for (int x = 0; x < w; x++, in += channels) {
      guint a = channels == 4 ? in[3] : 255;
      guint r = in[0] * a / 255, g = in[1] * a / 255, b = in[2] * a / 255;
      out[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

static char *resolve(const char *page_path, const char *src) {
  char *dir = src[0] == '/' ? g_strdup("") : g_path_get_dirname(page_path);
  char *joined = g_build_filename("/", strcmp(dir, ".") == 0 ? "" : dir, src, NULL);
  char *canonical = g_canonicalize_filename(joined, "/");
  char *path = g_strdup(canonical + 1);
  g_free(canonical);
  g_free(joined);
  g_free(dir);
  return path;
}

cairo_surface_t *mprtc__images_get(mprtc__images *images, const char *page_path, const char *src, char **warning) {
  if (!src || !*src) return NULL;
  if (g_str_has_prefix(src, "http://") || g_str_has_prefix(src, "https://") || g_str_has_prefix(src, "data:")) {
    if (!g_hash_table_contains(images->pictures, src)) {
      g_hash_table_insert(images->pictures, g_strdup(src), NULL);
      *warning = g_strdup_printf("<image src=\"%s\">: only pictures of the package are shown", src);
    }
    return NULL;
  }
  char *path = resolve(page_path, src);
  gpointer found;
  if (g_hash_table_lookup_extended(images->pictures, path, NULL, &found)) {
    g_free(path);
    return found;
  }
  size_t len = 0;
  char *error = NULL;
  char *bytes = images->read(path, &len, &error, images->data);
  cairo_surface_t *picture = NULL;
  if (bytes) {
    GdkPixbufLoader *loader = gdk_pixbuf_loader_new();
    GError *e = NULL;
    if (gdk_pixbuf_loader_write(loader, (const guchar *)bytes, len, &e) && gdk_pixbuf_loader_close(loader, &e)) {
      GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf(loader);
      if (pixbuf) picture = surface_of(pixbuf);
    } else {
      error = g_strdup(e ? e->message : "not a picture");
      gdk_pixbuf_loader_close(loader, NULL);
    }
    if (e) g_error_free(e);
    g_object_unref(loader);
    g_free(bytes);
  }
  if (!picture) *warning = g_strdup_printf("<image src=\"%s\">: %s", src, error ? error : "not a picture");
  g_free(error);
  g_hash_table_insert(images->pictures, path, picture);
  return picture;
}

void mprtc__image_draw(cairo_t *cr, cairo_surface_t *picture, const char *mode, double x, double y, double w, double h) {
  double pw = cairo_image_surface_get_width(picture), ph = cairo_image_surface_get_height(picture);
  if (pw <= 0 || ph <= 0 || w <= 0 || h <= 0) return;
  if (!mode) mode = "scaleToFill";
  double sx = w / pw, sy = h / ph, ox = x, oy = y;
  if (strcmp(mode, "aspectFit") == 0 || strcmp(mode, "aspectFill") == 0) {
    double scale = strcmp(mode, "aspectFit") == 0 ? MIN(sx, sy) : MAX(sx, sy);
    sx = sy = scale;
    ox = x + (w - pw * scale) / 2;
    oy = y + (h - ph * scale) / 2;
  } else if (strcmp(mode, "widthFix") == 0 || strcmp(mode, "heightFix") == 0) {
    /* The box already has the picture's aspect ratio. */
  } else if (strcmp(mode, "scaleToFill") != 0) {
    /* The cropping modes: the picture at its size, placed as the mode names. */
    sx = sy = 1;
    gboolean left = strstr(mode, "left") != NULL, right = strstr(mode, "right") != NULL;
    gboolean top = strstr(mode, "top") != NULL, bottom = strstr(mode, "bottom") != NULL;
    ox = left ? x : right ? x + w - pw : x + (w - pw) / 2;
    oy = top ? y : bottom ? y + h - ph : y + (h - ph) / 2;
  }
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_translate(cr, ox, oy);
  cairo_scale(cr, sx, sy);
  cairo_set_source_surface(cr, picture, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_paint(cr);
  cairo_restore(cr);
}
