/* Renderers (src/sdk/media/renderer.c) follow the app's streams and tracks: the stream and track
 * code tells them what changed.
 *
 * Thread rules: SDK thread.
 */
#ifndef MPRTC_SDK_MEDIA_RENDERER_H
#define MPRTC_SDK_MEDIA_RENDERER_H

#include "sdk/core/registry.h"

/* A stream got or lost a track: renderers waiting for its ID bind, those bound to a track it
 * lost move to the one it has now. */
void mprtc__renderers_stream_changed(mprtc__object *stream);

/* A track ended, or is closing (before its tap goes): renderers bound to it unbind, and report
 * ended when report is set (the track ended or was stopped, not closed with its app). */
void mprtc__renderers_track_gone(mprtc__object *track, gboolean report);

#endif
