/* The modal dialog (wx.showModal): a title, a text or an input, and a cancel and a confirm
 * button over a dimmed page, as WeChat draws it. It is a small page of its own, made from WXML
 * and WXSS built in here, so that it lays out, paints, dumps and takes taps like any page: a host
 * (or a test) finds its buttons by the selectors #mprtc-modal-confirm and #mprtc-modal-cancel
 * and its input by #mprtc-modal-input. While it is shown it takes every tap, as a modal does.
 *
 * View.showModal is answered when the user taps a button, with {confirm, content}. Dialogs asked
 * for while one is shown wait their turn.
 *
 * Thread rules: the view thread.
 */
#ifndef MPRTC_VIEW_MODAL_H
#define MPRTC_VIEW_MODAL_H

#include <cairo.h>
#include <jansson.h>

#include "bridge/bridge.h"
#include "view/page.h"

struct mprtc__view;

/* View.showModal {title, content, showCancel, cancelText, cancelColor, confirmText, confirmColor,
 * editable, placeholderText} (checked by src/baselib/modal.js), from channel as request seq.
 * FALSE with *error when params are malformed. */
gboolean mprtc__modal_request(struct mprtc__view *view, mprtc__bridge *channel, int64_t seq, const json_t *params,
                              char **error);

/* The dialog shown, as a page, or NULL. */
mprtc__page *mprtc__modal_page(struct mprtc__view *view);

/* A tap on n, an element of the dialog's page: TRUE when it was a button (the dialog is answered
 * and goes). */
gboolean mprtc__modal_tap(struct mprtc__view *view, mprtc__vnode *n);

/* Paints the dialog (if one is shown) onto surface, a window of the view, within the clip
 * rectangle (CSS px). */
void mprtc__modal_paint(struct mprtc__view *view, cairo_surface_t *surface, double x, double y, double w, double h);

/* Teardown: the dialogs are dropped unanswered (the logic layer goes with the view). */
void mprtc__modal_free(struct mprtc__view *view);

#endif
