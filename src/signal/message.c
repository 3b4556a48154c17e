/* The signaling protocol's messages: see message.h. */
#include "signal/message.h"

#include <string.h>

static const char *const KIND_NAMES[] = {"join", "leave", "offer", "answer", "candidate", "message"};

const char *mprtc__signal_kind_name(mprtc__signal_kind kind) { return KIND_NAMES[kind]; }

char *mprtc__signal_shown(const char *s, glong max) {
  return g_utf8_strlen(s, -1) > max ? g_utf8_substring(s, 0, max) : g_strdup(s);
}

static gboolean room_name_valid(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > MPRTC__SIGNAL_ROOM_MAX) return FALSE;
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_isalnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-') return FALSE;
  return TRUE;
}

static gboolean fail(const char **code, char **why, const char *c, char *text) {
  *code = c;
  *why = text;
  return FALSE;
}

gboolean mprtc__signal_parse(const char *text, size_t len, mprtc__signal_msg *out, const char **code, char **why) {
  memset(out, 0, sizeof *out);
  json_error_t jerr;
  /* A duplicate key is a malformed message, not a quiet override. */
  json_t *msg = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
  if (!json_is_object(msg)) {
    char *w = msg ? g_strdup("a message is a JSON object") : g_strdup_printf("not JSON: %s (at %d)", jerr.text, jerr.position);
    json_decref(msg);
    return fail(code, why, MPRTC__SIGNAL_E_JSON, w);
  }
  const char *type = json_string_value(json_object_get(msg, "type"));
  int kind = -1;
  for (int i = 0; type && i < (int)G_N_ELEMENTS(KIND_NAMES); i++)
    if (strcmp(type, KIND_NAMES[i]) == 0) kind = i;
  if (kind < 0) {
    char *shown = type ? mprtc__signal_shown(type, 64) : NULL; /* valid UTF-8: it was JSON */
    char *w = type ? g_strdup_printf("unknown type '%s' (join, leave, offer, answer, candidate, message)", shown)
                   : g_strdup("a message has a string `type`");
    g_free(shown);
    json_decref(msg);
    return fail(code, why, MPRTC__SIGNAL_E_TYPE, w);
  }
  out->kind = (mprtc__signal_kind)kind;
  out->msg = msg;
  json_t *to = json_object_get(msg, "to");
  const char *field = NULL, *wanted = NULL;
  switch (out->kind) {
    case MPRTC__SIGNAL_JOIN:
      out->room = json_string_value(json_object_get(msg, "room"));
      if (!out->room || !room_name_valid(out->room)) field = "room", wanted = "1 to 64 of A-Z a-z 0-9 . _ -";
      break;
    case MPRTC__SIGNAL_LEAVE: break;
    case MPRTC__SIGNAL_OFFER:
    case MPRTC__SIGNAL_ANSWER: {
      json_t *sdp = json_object_get(msg, "sdp");
      if (!json_is_string(sdp)) field = "sdp", wanted = "a string";
      else out->payload = json_pack("{s:O}", "sdp", sdp);
      break;
    }
    case MPRTC__SIGNAL_CANDIDATE: {
      json_t *c = json_object_get(msg, "candidate");
      /* null: the end of candidates, as RTCPeerConnection's icecandidate event says it. */
      if (!json_is_object(c) && !json_is_null(c)) field = "candidate", wanted = "an object (RTCIceCandidateInit) or null";
      else out->payload = json_pack("{s:O}", "candidate", c);
      break;
    }
    case MPRTC__SIGNAL_MESSAGE: {
      json_t *data = json_object_get(msg, "data");
      if (!data) field = "data", wanted = "any JSON value";
      else out->payload = json_pack("{s:O}", "data", data);
      break;
    }
  }
  if (!field && out->kind >= MPRTC__SIGNAL_OFFER && to) {
    out->to = json_string_value(to);
    if (!out->to) field = "to", wanted = "a peer ID (a string), or absent for the whole room";
  }
  if (field) {
    char *w = g_strdup_printf("%s: `%s` must be %s", type, field, wanted);
    mprtc__signal_clear(out);
    return fail(code, why, MPRTC__SIGNAL_E_FIELD, w);
  }
  return TRUE;
}

void mprtc__signal_clear(mprtc__signal_msg *m) {
  json_decref(m->payload);
  json_decref(m->msg);
  memset(m, 0, sizeof *m);
}

char *mprtc__signal_error_text(const char *code, const char *message, const char *ref) {
  json_t *e = json_pack("{s:s, s:s, s:s}", "type", "error", "code", code, "message", message);
  if (ref) json_object_set_new(e, "ref", json_string(ref));
  char *text = json_dumps(e, JSON_COMPACT);
  json_decref(e);
  char *copy = g_strdup(text);
  free(text);
  return copy;
}
