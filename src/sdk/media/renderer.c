/* Renderers on the SDK thread: what a <webrtc-video> or <webrtc-audio> of the view layer is
 * in the SDK. A renderer is bound by the app's stream ID to the first track of its kind in that
 * stream; the track's frames go into a frame slot (src/sdk/media/frame-slot.h) that the view
 * paints, and audio plays through PulseAudio when a server is reachable (otherwise it is only
 * measured: the slot's level says what would be heard).
 *
 *   Renderer.create  {slot, kind: "video"|"audio", streamId, muted?, volume?} -> {id, bound}
 *                    slot: the key under which the view left its frame slot (mprtc__app_put_slot)
 *   Renderer.set     target, {streamId?, muted?, volume?} -> {bound}
 *   Renderer.close   target -> null
 * Events, each with the streamId it is about: play {} (the first frame or audio since it was
 * bound), resize {videoWidth, videoHeight}, ended {} (the bound track ended or was stopped: the
 * slot goes black), error {errMsg} (the audio output failed).
 *
 * An ID no stream has yet is not an error: the renderer binds when a stream of that ID gets a
 * track of its kind (stream.c tells mprtc__renderers_stream_changed).
 */
#include <gst/app/gstappsrc.h>
#include <string.h>

#include "sdk/media/frame-slot.h"
#include "sdk/media/media.h"
#include "sdk/media/renderer.h"

#define STREAM_ID_MAX 1024

/* What the sink of a binding reads on the streaming thread. */
typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;        /* a reference: posts name it */
  mprtc__frame_slot *slot;   /* a reference */
  GstAppSrc *playback;       /* audio: the playback pipeline's source (a reference), or NULL */
  gint gain_milli;           /* atomic: volume x 1000, 0 when muted */
  guint generation;          /* the renderer's binding this is */
} binding;

typedef struct {
  mprtc__sdk *sdk;
  mprtc__object *obj;        /* borrowed: the registry holds it */
  mprtc__kind kind;
  char *stream_id;
  mprtc__frame_slot *slot;   /* a reference; the view holds another */
  gboolean muted;
  double volume;
  GstElement *pipeline;      /* audio: appsrc ! audioconvert ! audioresample ! volume ! pulsesink */
  GstElement *volume_element;
  mprtc__object *track;      /* the bound track (a reference), or NULL */
  guint sink;                /* on the track's tap */
  binding *bound;            /* the sink's data (the sink owns it) */
  guint generation;          /* counts bindings: events of an earlier one are dropped */
} renderer;

typedef struct {
  GPtrArray *renderers;      /* renderer*: every open one, of every app */
} renderers;

extern const mprtc__sdk_module mprtc__renderer_module;

static renderers *state_of(mprtc__sdk *sdk) { return mprtc__sdk_module_state(sdk, &mprtc__renderer_module); }

static int gain_of(const renderer *r) { return r->muted ? 0 : (int)(r->volume * 1000.0 + 0.5); }

/* ---- events, posted from the streaming thread ---- */

typedef struct {
  guint generation;
  int width, height;
} frame_news;

/* Every event names the stream it is about: the view drops those of a stream it has left. */
static void emit(renderer *r, const char *event, json_t *data) {
  json_object_set_new(data, "streamId", json_string(r->stream_id ? r->stream_id : ""));
  mprtc__object_emit(r->obj, event, data);
}

static void emit_news(mprtc__object *obj, void *data) {
  renderer *r = obj->impl;
  const frame_news *news = data;
  if (news->generation != r->generation || !r->track) return; /* of a binding gone since */
  if (news->width) emit(r, "resize", json_pack("{s:i,s:i}", "videoWidth", news->width, "videoHeight", news->height));
  else emit(r, "play", json_object());
}

static void emit_error(mprtc__object *obj, void *message) {
  emit(obj->impl, "error", json_pack("{s:s}", "errMsg", (const char *)message));
}

static void post_news(binding *b, int width, int height) {
  frame_news *news = g_new(frame_news, 1);
  news->generation = b->generation;
  news->width = width;
  news->height = height;
  mprtc__sdk_post(b->sdk, b->obj, emit_news, news, g_free);
}

static void post_flags(binding *b, unsigned flags, int width, int height) {
  if (flags & MPRTC__SLOT_FIRST) post_news(b, 0, 0);
  if (flags & MPRTC__SLOT_RESIZED) post_news(b, width, height);
}

/* ---- the sinks (streaming thread, the source's lock held: nothing here blocks) ---- */

static void video_sink(GstSample *sample, void *data) {
  binding *b = data;
  unsigned flags = mprtc__frame_slot_put_video(b->slot, sample);
  if (flags & MPRTC__SLOT_RESIZED) {
    mprtc__frame_slot_state st;
    mprtc__frame_slot_get(b->slot, &st);
    post_flags(b, flags, st.width, st.height);
    mprtc__frame_slot_state_clear(&st);
  } else if (flags) {
    post_flags(b, flags, 0, 0);
  }
}

static void audio_sink(GstSample *sample, void *data) {
  binding *b = data;
  double gain = g_atomic_int_get(&b->gain_milli) / 1000.0;
  post_flags(b, mprtc__frame_slot_put_audio(b->slot, mprtc__audio_rms(sample) * gain), 0, 0);
  if (!b->playback) return;
  /* The producer's timestamps are of its own clock: the playback stamps its own. */
  GstBuffer *buffer = gst_buffer_copy(gst_sample_get_buffer(sample));
  GST_BUFFER_PTS(buffer) = GST_BUFFER_DTS(buffer) = GST_CLOCK_TIME_NONE;
  GstSample *out = gst_sample_new(buffer, gst_sample_get_caps(sample), NULL, NULL);
  gst_buffer_unref(buffer);
  gst_app_src_push_sample(b->playback, out); /* leaky: never blocks */
  gst_sample_unref(out);
}

static void binding_free(gpointer data) {
  binding *b = data;
  mprtc__object_unref(b->obj);
  mprtc__frame_slot_unref(b->slot);
  if (b->playback) gst_object_unref(b->playback);
  g_free(b);
}

/* ---- audio playback ---- */

/* Whether a PulseAudio server may be there: without one, connecting could start one (autospawn),
 * which a renderer must not do. */
static gboolean pulse_server_known(void) {
  if (g_getenv("PULSE_SERVER")) return TRUE;
  const char *runtime = g_get_user_runtime_dir();
  char *socket = g_build_filename(runtime, "pulse", "native", NULL);
  gboolean there = g_file_test(socket, G_FILE_TEST_EXISTS);
  g_free(socket);
  return there;
}

static GstBusSyncReply on_playback_message(GstBus *bus, GstMessage *msg, gpointer data) {
  renderer *r = data;
  if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
    GError *error = NULL;
    gst_message_parse_error(msg, &error, NULL);
    mprtc__sdk_post(r->sdk, r->obj, emit_error, g_strdup_printf("audio output: %s", error->message), g_free);
    g_error_free(error);
  }
  return GST_BUS_DROP;
}

static void playback_stop(renderer *r) {
  if (!r->pipeline) return;
  gst_element_set_state(r->pipeline, GST_STATE_NULL);
  gst_object_unref(r->pipeline);
  r->pipeline = NULL;
  r->volume_element = NULL;
}

/* The playback pipeline of an audio renderer, when a PulseAudio server takes it. */
static void playback_start(renderer *r) {
  mprtc__frame_slot_set_output(r->slot, "none");
  if (!pulse_server_known()) return;
  GError *error = NULL;
  r->pipeline = gst_parse_launch(
      "appsrc name=in is-live=true do-timestamp=true format=time leaky-type=downstream max-buffers=20 "
      "! audioconvert ! audioresample ! volume name=volume ! pulsesink name=out sync=false",
      &error);
  if (!r->pipeline) {
    g_error_free(error);
    return;
  }
  r->volume_element = gst_bin_get_by_name(GST_BIN(r->pipeline), "volume");
  gst_object_unref(r->volume_element); /* the bin holds it */
  g_object_set(r->volume_element, "volume", r->volume, "mute", r->muted, NULL);
  GstBus *bus = gst_element_get_bus(r->pipeline);
  gst_bus_set_sync_handler(bus, on_playback_message, r, NULL);
  gst_object_unref(bus);
  if (gst_element_set_state(r->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    playback_stop(r); /* no server after all: measured only */
    return;
  }
  mprtc__frame_slot_set_output(r->slot, "pulseaudio");
}

/* ---- binding ---- */

/* The first open track of r's kind in the stream r names, or NULL. */
static mprtc__object *track_to_bind(renderer *r) {
  mprtc__object *stream = r->stream_id ? mprtc__stream_lookup(r->obj->app, r->stream_id) : NULL;
  if (!stream) return NULL;
  GPtrArray *tracks = ((mprtc__stream *)stream->impl)->tracks;
  for (guint i = 0; i < tracks->len; i++) {
    mprtc__object *t = tracks->pdata[i];
    mprtc__track *track = t->impl;
    if (!t->closed && track->tap && track->kind == r->kind) return t;
  }
  return NULL;
}

static gboolean bind(renderer *r) {
  if (r->track) return TRUE;
  mprtc__object *t = track_to_bind(r);
  if (!t) return FALSE;
  r->track = mprtc__object_ref(t);
  mprtc__frame_slot_set_bound(r->slot, true);
  binding *b = g_new0(binding, 1);
  b->sdk = r->sdk;
  b->obj = mprtc__object_ref(r->obj);
  b->slot = mprtc__frame_slot_ref(r->slot);
  if (r->pipeline) b->playback = GST_APP_SRC(gst_bin_get_by_name(GST_BIN(r->pipeline), "in"));
  b->gain_milli = gain_of(r);
  b->generation = ++r->generation;
  r->bound = b;
  r->sink = mprtc__tap_add_sink(((mprtc__track *)t->impl)->tap, r->kind == MPRTC__KIND_VIDEO ? video_sink : audio_sink,
                                b, binding_free);
  return TRUE;
}

static void unbind(renderer *r) {
  if (!r->track) return;
  mprtc__track *t = r->track->impl;
  /* A track closing tells the renderers before its tap goes (mprtc__renderers_track_gone). */
  if (t->tap) mprtc__tap_remove_sink(t->tap, r->sink);
  mprtc__object_unref(r->track);
  r->track = NULL;
  r->sink = 0;
  r->bound = NULL;
  mprtc__frame_slot_set_bound(r->slot, false);
}

void mprtc__renderers_stream_changed(mprtc__object *stream) {
  renderers *all = state_of(((mprtc__stream *)stream->impl)->sdk);
  const char *id = ((mprtc__stream *)stream->impl)->stream_id;
  for (guint i = 0; all && i < all->renderers->len; i++) {
    renderer *r = all->renderers->pdata[i];
    if (r->obj->app != stream->app || !r->stream_id || strcmp(r->stream_id, id) != 0) continue;
    /* Bound to a track the stream no longer has: the stream's current track instead. */
    if (r->track && track_to_bind(r) != r->track) unbind(r);
    bind(r);
  }
}

void mprtc__renderers_track_gone(mprtc__object *track, gboolean report) {
  renderers *all = state_of(((mprtc__track *)track->impl)->sdk);
  for (guint i = 0; all && i < all->renderers->len; i++) {
    renderer *r = all->renderers->pdata[i];
    if (r->track != track) continue;
    unbind(r);
    if (report) emit(r, "ended", json_object());
  }
}

/* ---- the object ---- */

static void renderer_close(mprtc__object *obj) {
  renderer *r = obj->impl;
  unbind(r);
  playback_stop(r);
  renderers *all = state_of(r->sdk);
  if (all) g_ptr_array_remove(all->renderers, r);
}

static void renderer_finalize(void *impl) {
  renderer *r = impl;
  g_free(r->stream_id);
  mprtc__frame_slot_unref(r->slot);
  g_free(r);
}

static const mprtc__object_class renderer_class = {"Renderer", renderer_close, renderer_finalize};

/* streamId, muted and volume of params into r (checked first): FALSE after rejecting the call. */
static gboolean read_settings(mprtc__call *call, renderer *r, gboolean *stream_changed) {
  json_t *id = json_object_get(call->req.params, "streamId"), *volume = json_object_get(call->req.params, "volume");
  if (!mprtc__call_typed_param(call, "streamId", JSON_STRING) || !mprtc__call_typed_param(call, "muted", JSON_TRUE))
    return FALSE;
  if (id && json_string_length(id) > STREAM_ID_MAX) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'streamId' is longer than %d bytes", call->req.method, STREAM_ID_MAX);
    return FALSE;
  }
  if (volume && (!json_is_number(volume) || !(json_number_value(volume) >= 0 && json_number_value(volume) <= 1))) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'volume' must be a number from 0 to 1", call->req.method);
    return FALSE;
  }
  *stream_changed = id && (!r->stream_id || strcmp(r->stream_id, json_string_value(id)) != 0);
  if (*stream_changed) {
    g_free(r->stream_id);
    r->stream_id = json_string_length(id) ? g_strdup(json_string_value(id)) : NULL;
  }
  json_t *muted = json_object_get(call->req.params, "muted");
  if (muted) r->muted = json_is_true(muted);
  if (volume) r->volume = json_number_value(volume);
  if (r->bound) g_atomic_int_set(&r->bound->gain_milli, gain_of(r));
  if (r->volume_element) g_object_set(r->volume_element, "volume", r->volume, "mute", r->muted, NULL);
  return TRUE;
}

static void create(mprtc__call *call) {
  static const char *const allowed[] = {"slot", "kind", "streamId", "muted", "volume", NULL};
  json_t *kind = json_object_get(call->req.params, "kind");
  json_int_t key = 0;
  if (!mprtc__call_int_param(call, "slot", 1, G_MAXINT64, &key)) return;
  if (!key) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'slot' is required: the key of a frame slot the view left", call->req.method);
    return;
  }
  renderer probe = {.volume = 1};
  gboolean changed;
  mprtc_app *app = call->app; /* the channel's: it outlives the call, which a refusal frees */
  gboolean ok = mprtc__call_only_members(call, allowed);
  if (ok && (!json_is_string(kind) || (strcmp(json_string_value(kind), "video") != 0 &&
                                       strcmp(json_string_value(kind), "audio") != 0))) {
    mprtc__call_reject(call, MPRTC_E_INVAL, "%s: 'kind' must be \"video\" or \"audio\"", call->req.method);
    ok = FALSE;
  }
  if (ok) ok = read_settings(call, &probe, &changed);
  /* The slot is taken either way: a refused call does not leave it behind. */
  mprtc__frame_slot *slot = mprtc__app_take_slot(app, key);
  if (ok && !slot) {
    mprtc__call_reject(call, MPRTC_E_NOT_FOUND, "%s: no frame slot %lld was left for this app", call->req.method,
                       (long long)key);
    ok = FALSE;
  }
  if (!ok) {
    g_free(probe.stream_id);
    if (slot) mprtc__frame_slot_unref(slot);
    return;
  }
  renderer *r = g_new0(renderer, 1);
  *r = probe;
  r->sdk = call->sdk;
  r->kind = strcmp(json_string_value(kind), "video") == 0 ? MPRTC__KIND_VIDEO : MPRTC__KIND_AUDIO;
  r->slot = slot;
  r->obj = mprtc__call_new_object(call, &renderer_class, r);
  g_ptr_array_add(state_of(call->sdk)->renderers, r);
  if (r->kind == MPRTC__KIND_AUDIO) playback_start(r);
  gboolean bound = bind(r);
  mprtc__call_return(call, json_pack("{s:I,s:b}", "id", (json_int_t)r->obj->id, "bound", bound));
}

static void set(mprtc__call *call) {
  static const char *const allowed[] = {"streamId", "muted", "volume", NULL};
  renderer *r = call->object->impl;
  gboolean stream_changed;
  if (!mprtc__call_only_members(call, allowed) || !read_settings(call, r, &stream_changed)) return;
  if (stream_changed) unbind(r);
  gboolean bound = bind(r);
  mprtc__call_return(call, json_pack("{s:b}", "bound", bound));
}

static void init(mprtc__sdk *sdk, void **state) {
  renderers *all = g_new0(renderers, 1);
  all->renderers = g_ptr_array_new();
  *state = all;
}

static void shutdown(mprtc__sdk *sdk, void *state) {
  renderers *all = state;
  g_ptr_array_unref(all->renderers);
  g_free(all);
}

static const mprtc__method methods[] = {
    {"Renderer.create", NULL, create},
    {"Renderer.set", "Renderer", set},
    {"Renderer.close", "Renderer", mprtc__call_close_target},
};

const mprtc__sdk_module mprtc__renderer_module = {
    .name = "renderer", .methods = methods, .n_methods = G_N_ELEMENTS(methods), .init = init, .shutdown = shutdown};
