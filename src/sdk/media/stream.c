/* MediaStream on the SDK thread: the stream registry. Every local and remote stream of an app
 * has a MediaStream.id unique among the app's open streams, stable for its life, and names its
 * tracks: a renderer (the view layer) binds to a stream by that ID.
 *
 *   MediaStream.constructor  {streamId?, tracks: [track object IDs]} -> {id, streamId}
 *   MediaStream.addTrack / removeTrack  target, {track} -> null
 *   MediaStream.close        target -> null (the tracks stay: they are objects of their own)
 */
#include <string.h>

#include "sdk/media/media.h"
#include "sdk/media/renderer.h"

mprtc__object *mprtc__stream_lookup(mprtc_app *app, const char *stream_id) {
  return g_hash_table_lookup(app->stream_ids, stream_id);
}

static void stream_close(mprtc__object *obj) {
  mprtc__stream *s = obj->impl;
  g_hash_table_remove(obj->app->stream_ids, s->stream_id);
  for (guint i = 0; i < s->tracks->len; i++) mprtc__object_unref(s->tracks->pdata[i]);
  g_ptr_array_set_size(s->tracks, 0);
}

static void stream_finalize(void *impl) {
  mprtc__stream *s = impl;
  g_free(s->stream_id);
  g_ptr_array_unref(s->tracks);
  g_free(s);
}

const mprtc__object_class mprtc__stream_class = {"MediaStream", stream_close, stream_finalize};

mprtc__object *mprtc__stream_new(mprtc__sdk *sdk, mprtc_app *app, mprtc__bridge *channel, const char *wanted_id) {
  mprtc__stream *s = g_new0(mprtc__stream, 1);
  s->sdk = sdk;
  s->tracks = g_ptr_array_new();
  s->stream_id = wanted_id && mprtc__stream_id_valid(wanted_id) && !mprtc__stream_lookup(app, wanted_id)
                     ? g_strdup(wanted_id)
                     : g_uuid_string_random();
  s->obj = mprtc__registry_add(sdk->registry, app, channel, &mprtc__stream_class, s);
  g_hash_table_insert(app->stream_ids, g_strdup(s->stream_id), s->obj);
  return s->obj;
}

void mprtc__stream_add_track(mprtc__object *stream, mprtc__object *track) {
  mprtc__stream *s = stream->impl;
  for (guint i = 0; i < s->tracks->len; i++)
    if (s->tracks->pdata[i] == track) return;
  g_ptr_array_add(s->tracks, mprtc__object_ref(track));
  mprtc__renderers_stream_changed(stream);
}

/* The app's open track value names, or NULL after rejecting the call. */
static mprtc__object *track_param(mprtc__call *call, json_t *value) {
  return mprtc__call_object_of(call, value, &mprtc__track_class, "the track");
}

gboolean mprtc__stream_id_valid(const char *id) {
  size_t n = strlen(id);
  if (n == 0 || n > 256) return FALSE;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)id[i] < 0x21 || (unsigned char)id[i] > 0x7e) return FALSE;
  return TRUE;
}

static void construct(mprtc__call *call) {
  static const char *const allowed[] = {"streamId", "tracks", NULL};
  if (!mprtc__call_only_members(call, allowed) || !mprtc__call_typed_param(call, "streamId", JSON_STRING) ||
      !mprtc__call_typed_param(call, "tracks", JSON_ARRAY))
    return;
  const char *wanted = json_string_value(json_object_get(call->req.params, "streamId"));
  if (wanted && (!mprtc__stream_id_valid(wanted) || mprtc__stream_lookup(call->app, wanted))) {
    mprtc__call_reject(call, MPRTC_E_INVALID_ACCESS, "%s: stream ID '%s' is malformed or in use", call->req.method, wanted);
    return;
  }
  json_t *tracks = json_object_get(call->req.params, "tracks");
  size_t i;
  json_t *v;
  json_array_foreach(tracks, i, v) if (!track_param(call, v)) return;
  mprtc__object *obj = mprtc__stream_new(call->sdk, call->app, call->channel, wanted);
  json_array_foreach(tracks, i, v) mprtc__stream_add_track(obj, track_param(call, v));
  mprtc__call_return(call, json_pack("{s:I,s:s}", "id", (json_int_t)obj->id, "streamId",
                                     ((mprtc__stream *)obj->impl)->stream_id));
}

static void add_track(mprtc__call *call) {
  static const char *const allowed[] = {"track", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  mprtc__object *track = track_param(call, json_object_get(call->req.params, "track"));
  if (!track) return;
  mprtc__stream_add_track(call->object, track);
  mprtc__call_return(call, NULL);
}

static void remove_track(mprtc__call *call) {
  static const char *const allowed[] = {"track", NULL};
  if (!mprtc__call_only_members(call, allowed)) return;
  json_t *v = json_object_get(call->req.params, "track");
  mprtc__stream *s = call->object->impl;
  for (guint i = 0; json_is_integer(v) && i < s->tracks->len; i++) {
    mprtc__object *t = s->tracks->pdata[i];
    if (t->id == json_integer_value(v)) {
      g_ptr_array_remove_index(s->tracks, i);
      mprtc__object_unref(t);
      mprtc__renderers_stream_changed(call->object);
      break;
    }
  }
  mprtc__call_return(call, NULL);
}

static const mprtc__method methods[] = {
    {"MediaStream.constructor", NULL, construct},
    {"MediaStream.addTrack", "MediaStream", add_track},
    {"MediaStream.removeTrack", "MediaStream", remove_track},
    {"MediaStream.close", "MediaStream", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__stream_module = {.name = "stream", .methods = methods, .n_methods = G_N_ELEMENTS(methods)};
