/* <webrtc-video> and <webrtc-audio>: each such element of a page is a renderer of the SDK
 * (src/sdk/media/renderer.c), reached over the view's own channel to the SDK. Creating, changing
 * and removing an element are call blocks (Renderer.create / set / close); the frames come into
 * the element's frame slot (src/sdk/media/frame-slot.h) inside the process, and the renderer's
 * events (play, resize, ended, error) become the element's events for the page.
 *
 * Attributes: stream-id (the app's MediaStream.id), muted, volume (0..1, webrtc-audio),
 * mirror and object-fit (contain | cover | fill, webrtc-video).
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_MEDIA_H
#define MPRTC_VIEW_MEDIA_H

#include <cairo.h>

#include "bridge/bridge.h"
#include "view/page.h"

struct mprtc__view;

/* After every render of page: its media elements get, change or lose their renderers. */
void mprtc__media_sync(struct mprtc__view *view, mprtc__page *page);

/* A reply or event of the SDK on the view's channel (as mprtc__bridge_deliver_fn; data: the
 * view). */
void mprtc__media_deliver(mprtc__message *msg, void *view);

/* The union (x0, y0)-(x1, y1) of the boxes of page's videos with a frame not painted yet (and
 * marks them painted); FALSE when there is none. */
gboolean mprtc__media_damage(mprtc__page *page, double *x0, double *y0, double *x1, double *y1);

/* Paints a <webrtc-video>'s latest frame into its content box. */
void mprtc__media_paint(mprtc__vnode *n, cairo_t *cr, double x, double y, double w, double h);

#endif
