/* The toast (wx.showToast, wx.showLoading): a message over the current page, drawn by the view
 * layer as WeChat draws it (a dark rounded square with an icon and the title, or a strip of text
 * for icon "none"), hidden after its duration or by wx.hideToast / hideLoading.
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_TOAST_H
#define MPRTC_VIEW_TOAST_H

#include <cairo.h>
#include <jansson.h>

struct mprtc__view;

/* Shows a toast (replacing the one shown): icon is "success", "error", "loading" or "none";
 * duration_ms 0: until hidden. */
void mprtc__toast_show(struct mprtc__view *view, const char *title, const char *icon, int duration_ms);
void mprtc__toast_hide(struct mprtc__view *view);

/* Paints the toast (if one is shown) onto surface, a window of the view, within the clip
 * rectangle (CSS px). */
void mprtc__toast_paint(struct mprtc__view *view, cairo_surface_t *surface, double x, double y, double w, double h);

/* {title, icon} of the toast shown, or NULL. */
json_t *mprtc__toast_describe(struct mprtc__view *view);

/* Frees the view's toast (teardown). */
void mprtc__toast_free(struct mprtc__view *view);

#endif
