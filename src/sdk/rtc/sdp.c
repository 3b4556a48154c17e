/* The SDK's SDP reader: see sdp.h. */
#include "sdk/rtc/sdp.h"

#include <string.h>

/* How many UTF-16 code units the UTF-8 bytes [from, to) are. */
static gint64 utf16_units(const char *from, const char *to) {
  gint64 n = 0;
  for (const unsigned char *p = (const unsigned char *)from; p < (const unsigned char *)to; p++)
    if ((*p & 0xC0) != 0x80) n += *p >= 0xF0 ? 2 : 1;
  return n;
}

/* Where each m= line begins in text (pointers into it). */
static GPtrArray *section_starts(const char *text) {
  GPtrArray *starts = g_ptr_array_new();
  for (const char *p = text; p; p = strchr(p, '\n')) {
    if (*p == '\n') p++;
    if (p[0] == 'm' && p[1] == '=') g_ptr_array_add(starts, (gpointer)p);
  }
  return starts;
}

static const char *direction_of(const GstSDPMedia *m) {
  static const char *const all[] = {"sendrecv", "sendonly", "recvonly", "inactive"};
  for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
    if (gst_sdp_media_get_attribute_val(m, all[i])) return all[i];
  return "sendrecv";
}

static gboolean has_trickle(const char *options) {
  if (!options) return FALSE;
  char **words = g_strsplit_set(options, " \t", -1);
  gboolean found = g_strv_contains((const char *const *)words, "trickle");
  g_strfreev(words);
  return found;
}

const char *mprtc__sdp_ice_ufrag(const GstSDPMessage *msg, guint mline) {
  const char *ufrag = NULL;
  if (mline < gst_sdp_message_medias_len(msg))
    ufrag = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(msg, mline), "ice-ufrag");
  return ufrag ? ufrag : gst_sdp_message_get_attribute_val(msg, "ice-ufrag");
}

int mprtc__sdp_mline_of_mid(const GstSDPMessage *msg, const char *mid) {
  for (guint i = 0; mid && i < gst_sdp_message_medias_len(msg); i++)
    if (g_strcmp0(gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(msg, i), "mid"), mid) == 0) return (int)i;
  return -1;
}

json_t *mprtc__sdp_facts(const GstSDPMessage *msg, const char *text) {
  json_t *ufrags = json_array(), *media = json_array();
  gboolean trickle = has_trickle(gst_sdp_message_get_attribute_val(msg, "ice-options"));
  const char *max_message_size = NULL;
  gboolean application = FALSE;
  const char *session_ufrag = gst_sdp_message_get_attribute_val(msg, "ice-ufrag");
  if (session_ufrag) json_array_append_new(ufrags, json_string(session_ufrag));
  GPtrArray *starts = section_starts(text);
  guint n = gst_sdp_message_medias_len(msg);
  gboolean placed = starts->len == n;
  for (guint i = 0; i < n; i++) {
    const GstSDPMedia *m = gst_sdp_message_get_media(msg, i);
    const char *kind = gst_sdp_media_get_media(m), *ufrag = gst_sdp_media_get_attribute_val(m, "ice-ufrag");
    if (ufrag) json_array_append_new(ufrags, json_string(ufrag));
    trickle = trickle || has_trickle(gst_sdp_media_get_attribute_val(m, "ice-options"));
    if (!max_message_size) max_message_size = gst_sdp_media_get_attribute_val(m, "max-message-size");
    application = application || g_strcmp0(kind, "application") == 0;
    json_t *section = json_pack("{s:s?,s:s?,s:s,s:s?}", "kind", kind, "mid", gst_sdp_media_get_attribute_val(m, "mid"),
                                "direction", direction_of(m), "iceUfrag", ufrag ? ufrag : session_ufrag);
    if (placed) {
      const char *start = starts->pdata[i], *end = i + 1 < n ? starts->pdata[i + 1] : text + strlen(text);
      json_object_set_new(section, "start", json_integer(utf16_units(text, start)));
      json_object_set_new(section, "end", json_integer(utf16_units(text, end)));
    }
    json_array_append_new(media, section);
  }
  g_ptr_array_unref(starts);
  if (!max_message_size) max_message_size = gst_sdp_message_get_attribute_val(msg, "max-message-size");
  json_t *size = json_null();
  if (max_message_size && g_ascii_isdigit(max_message_size[0]))
    size = json_real(g_ascii_strtod(max_message_size, NULL));
  return json_pack("{s:s,s:o,s:b,s:b,s:o,s:o}", "eol", strstr(text, "\r\n") ? "\r\n" : "\n", "iceUfrags", ufrags,
                   "trickle", trickle, "application", application, "maxMessageSize", size, "media", media);
}

json_t *mprtc__sdp_facts_of_text(const char *text) {
  GstSDPMessage *msg = NULL;
  if (gst_sdp_message_new_from_text(text, &msg) != GST_SDP_OK) {
    if (msg) gst_sdp_message_free(msg);
    return NULL;
  }
  json_t *facts = mprtc__sdp_facts(msg, text);
  gst_sdp_message_free(msg);
  return facts;
}

GPtrArray *mprtc__sdp_msids(const GstSDPMessage *msg, guint mline) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  if (!msg || mline >= gst_sdp_message_medias_len(msg)) return out;
  const GstSDPMedia *m = gst_sdp_message_get_media(msg, mline);
  gboolean media_level = gst_sdp_media_get_attribute_val(m, "msid") != NULL;
  for (guint i = 0; i < gst_sdp_media_attributes_len(m); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(m, i);
    const char *v = a->value;
    if (!v) continue;
    if (strcmp(a->key, "ssrc") == 0) {
      if (media_level) continue;
      v = strstr(v, " msid:");
      if (!v) continue;
      v += 6;
    } else if (strcmp(a->key, "msid") != 0) {
      continue;
    }
    char *id = g_strndup(v, strcspn(v, " "));
    gboolean seen = strcmp(id, "-") == 0 || !*id;
    for (guint k = 0; k < out->len && !seen; k++) seen = strcmp(out->pdata[k], id) == 0;
    if (seen) g_free(id);
    else g_ptr_array_add(out, id);
  }
  return out;
}

/* One token of characters that are not blanks; returns where the next begins, or NULL. */
static const char *token(const char *p, const char **start, size_t *len) {
  while (*p == ' ') p++;
  *start = p;
  while (*p && *p != ' ') p++;
  *len = (size_t)(p - *start);
  return *len ? p : NULL;
}

static gboolean all_digits(const char *s, size_t n) {
  if (n == 0 || n > 10) return FALSE;
  for (size_t i = 0; i < n; i++)
    if (!g_ascii_isdigit(s[i])) return FALSE;
  return TRUE;
}

gboolean mprtc__sdp_candidate_valid(const char *line) {
  if (g_ascii_strncasecmp(line, "candidate:", 10) != 0) return FALSE;
  const char *p = line + 10, *t;
  size_t n;
  /* foundation component transport priority address port "typ" type */
  if (!(p = token(p, &t, &n))) return FALSE;
  if (!(p = token(p, &t, &n)) || !all_digits(t, n)) return FALSE;
  if (!(p = token(p, &t, &n)) || !(n == 3 && (g_ascii_strncasecmp(t, "udp", 3) == 0 || g_ascii_strncasecmp(t, "tcp", 3) == 0)))
    return FALSE;
  if (!(p = token(p, &t, &n)) || !all_digits(t, n)) return FALSE;
  if (!(p = token(p, &t, &n))) return FALSE;
  if (!(p = token(p, &t, &n)) || !all_digits(t, n)) return FALSE;
  if (!(p = token(p, &t, &n)) || !(n == 3 && g_ascii_strncasecmp(t, "typ", 3) == 0)) return FALSE;
  if (!token(p, &t, &n)) return FALSE;
  static const char *const types[] = {"host", "srflx", "prflx", "relay"};
  for (size_t i = 0; i < G_N_ELEMENTS(types); i++)
    if (n == strlen(types[i]) && g_ascii_strncasecmp(t, types[i], n) == 0) return TRUE;
  return FALSE;
}
