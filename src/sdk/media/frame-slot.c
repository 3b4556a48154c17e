/* Frame slots: see frame-slot.h. */
#include "sdk/media/frame-slot.h"

#include <gst/video/video.h>

struct mprtc__frame_slot {
  gint refcount;
  GMutex lock;
  mprtc__frame_slot_state state; /* latest: the slot's reference */
  GstCaps *caps;                 /* of the latest video frame: parsed once per change */
  bool played;                   /* a frame came since the last binding */
  gint64 peak_us;                /* when state.audio_level was set */
  void (*notify)(void *data);    /* after each video frame, lock held */
  void *notify_data;
};

mprtc__frame_slot *mprtc__frame_slot_new(void) {
  mprtc__frame_slot *slot = g_new0(mprtc__frame_slot, 1);
  slot->refcount = 1;
  g_mutex_init(&slot->lock);
  return slot;
}

mprtc__frame_slot *mprtc__frame_slot_ref(mprtc__frame_slot *slot) {
  g_atomic_int_inc(&slot->refcount);
  return slot;
}

void mprtc__frame_slot_unref(mprtc__frame_slot *slot) {
  if (!slot || !g_atomic_int_dec_and_test(&slot->refcount)) return;
  mprtc__frame_slot_state_clear(&slot->state);
  gst_caps_replace(&slot->caps, NULL);
  g_mutex_clear(&slot->lock);
  g_free(slot);
}

/* Slot locked: a frame came; the flags it earns. */
static unsigned delivered(mprtc__frame_slot *slot) {
  slot->state.frames++;
  slot->state.serial++;
  unsigned flags = slot->played ? 0 : MPRTC__SLOT_FIRST;
  slot->played = true;
  return flags;
}

unsigned mprtc__frame_slot_put_video(mprtc__frame_slot *slot, GstSample *sample) {
  GstCaps *caps = gst_sample_get_caps(sample);
  g_mutex_lock(&slot->lock);
  unsigned flags = delivered(slot);
  GstSample *old = slot->state.latest;
  slot->state.latest = gst_sample_ref(sample);
  if (caps && caps != slot->caps) {
    GstVideoInfo info;
    gst_caps_replace(&slot->caps, caps);
    if (gst_video_info_from_caps(&info, caps) &&
        (info.width != slot->state.width || info.height != slot->state.height)) {
      slot->state.width = info.width;
      slot->state.height = info.height;
      flags |= MPRTC__SLOT_RESIZED;
    }
  }
  /* Under the lock, so that whoever clears it knows it has stopped. */
  if (slot->notify) slot->notify(slot->notify_data);
  g_mutex_unlock(&slot->lock);
  if (old) gst_sample_unref(old);
  return flags;
}

unsigned mprtc__frame_slot_put_audio(mprtc__frame_slot *slot, double level) {
  gint64 now = g_get_monotonic_time();
  g_mutex_lock(&slot->lock);
  unsigned flags = delivered(slot);
  /* A meter's peak hold: the loudest of about the last second, so that a look at any moment
   * tells whether the audio plays (a single buffer may be a quiet one). */
  if (level >= slot->state.audio_level || now - slot->peak_us > G_USEC_PER_SEC) {
    slot->state.audio_level = level;
    slot->peak_us = now;
  }
  g_mutex_unlock(&slot->lock);
  return flags;
}

void mprtc__frame_slot_set_bound(mprtc__frame_slot *slot, bool bound) {
  g_mutex_lock(&slot->lock);
  GstSample *old = NULL;
  slot->state.bound = bound;
  if (!bound) {
    old = slot->state.latest;
    slot->state.latest = NULL;
    slot->state.serial++;
    slot->state.width = slot->state.height = 0;
    slot->state.audio_level = 0;
    gst_caps_replace(&slot->caps, NULL);
  }
  slot->played = false;
  g_mutex_unlock(&slot->lock);
  if (old) gst_sample_unref(old);
}

void mprtc__frame_slot_set_notify(mprtc__frame_slot *slot, void (*fn)(void *data), void *data) {
  g_mutex_lock(&slot->lock);
  slot->notify = fn;
  slot->notify_data = data;
  g_mutex_unlock(&slot->lock);
}

void mprtc__frame_slot_set_output(mprtc__frame_slot *slot, const char *output) {
  g_mutex_lock(&slot->lock);
  slot->state.output = output;
  g_mutex_unlock(&slot->lock);
}

void mprtc__frame_slot_get(mprtc__frame_slot *slot, mprtc__frame_slot_state *out) {
  g_mutex_lock(&slot->lock);
  *out = slot->state;
  if (out->latest) gst_sample_ref(out->latest);
  g_mutex_unlock(&slot->lock);
}

void mprtc__frame_slot_state_clear(mprtc__frame_slot_state *state) {
  if (state->latest) gst_sample_unref(state->latest);
  state->latest = NULL;
}
