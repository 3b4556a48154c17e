/* mDNS messages: see mdns.h. */
#include "sdk/net/mdns.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <string.h>

#define TYPE_A 1
#define TYPE_AAAA 28
#define CLASS_IN 1
#define QU_BIT 0x8000   /* in a question's class: answer me by unicast */
#define FLUSH_BIT 0x8000 /* in a record's class: the cache-flush bit */

static void put16(GByteArray *b, guint v) {
  guint8 two[2] = {(guint8)(v >> 8), (guint8)v};
  g_byte_array_append(b, two, 2);
}

/* name as DNS labels; FALSE for what is no DNS name. */
static gboolean put_name(GByteArray *b, const char *name) {
  gsize total = 0;
  char **labels = g_strsplit(name, ".", -1);
  gboolean ok = TRUE;
  for (char **l = labels; *l && ok; l++) {
    gsize n = strlen(*l);
    if (n == 0) {
      ok = l[1] == NULL; /* a trailing dot only */
      continue;
    }
    if (n > 63) ok = FALSE;
    total += n + 1;
    guint8 len = (guint8)n;
    g_byte_array_append(b, &len, 1);
    g_byte_array_append(b, (const guint8 *)*l, (guint)n);
  }
  g_strfreev(labels);
  g_byte_array_append(b, (const guint8 *)"", 1);
  return ok && total > 0 && total + 1 <= 255;
}

GBytes *mprtc__mdns_query(const char *name, gboolean ipv6, gboolean unicast_reply) {
  GByteArray *b = g_byte_array_new();
  /* ID 0, flags 0 (a standard query), one question: responders (Chromium's among them) answer
   * a query of one question, and not always one of several. */
  static const guint8 header[12] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  g_byte_array_append(b, header, sizeof header);
  gboolean ok = put_name(b, name);
  put16(b, ipv6 ? TYPE_AAAA : TYPE_A);
  put16(b, CLASS_IN | (unicast_reply ? QU_BIT : 0));
  if (!ok) {
    g_byte_array_unref(b);
    return NULL;
  }
  return g_byte_array_free_to_bytes(b);
}

/* Reads the (possibly compressed) name at *pos into out (dotted, without a final dot), moves
 * *pos past it. FALSE when it runs past len, loops, or is too long. */
static gboolean read_name(const guint8 *m, gsize len, gsize *pos, GString *out) {
  gsize p = *pos, end = 0;
  int jumps = 0;
  g_string_truncate(out, 0);
  for (;;) {
    if (p >= len) return FALSE;
    guint8 l = m[p];
    if ((l & 0xC0) == 0xC0) {
      if (p + 1 >= len || ++jumps > 32) return FALSE;
      if (!end) end = p + 2;
      p = (gsize)((l & 0x3F) << 8 | m[p + 1]);
      continue;
    }
    if (l & 0xC0) return FALSE; /* the reserved label kinds */
    if (l == 0) {
      *pos = end ? end : p + 1;
      return TRUE;
    }
    if (p + 1 + l > len || out->len + l + 1 > 255) return FALSE;
    if (out->len) g_string_append_c(out, '.');
    g_string_append_len(out, (const char *)m + p + 1, l);
    p += 1 + l;
  }
}

static guint get16(const guint8 *m, gsize p) { return (guint)m[p] << 8 | m[p + 1]; }

char *mprtc__mdns_address(const guint8 *m, gsize len, const char *name) {
  if (!m || len < 12 || !name) return NULL;
  /* A response (QR set); questions, then answers, authority and additional records alike. */
  if (!(m[2] & 0x80)) return NULL;
  guint questions = get16(m, 4), records = get16(m, 6) + get16(m, 8) + get16(m, 10);
  gsize pos = 12;
  GString *owner = g_string_new(NULL);
  char *found = NULL;
  gsize want = strlen(name);
  if (want && name[want - 1] == '.') want--;
  for (guint i = 0; i < questions; i++) {
    if (!read_name(m, len, &pos, owner) || pos + 4 > len) goto out;
    pos += 4;
  }
  for (guint i = 0; i < records && !found; i++) {
    if (!read_name(m, len, &pos, owner) || pos + 10 > len) goto out;
    guint type = get16(m, pos), cls = get16(m, pos + 2) & ~FLUSH_BIT, rdlen = get16(m, pos + 8);
    pos += 10;
    if (pos + rdlen > len) goto out;
    gboolean ours = owner->len == want && g_ascii_strncasecmp(owner->str, name, want) == 0 && cls == CLASS_IN;
    if (ours && ((type == TYPE_A && rdlen == 4) || (type == TYPE_AAAA && rdlen == 16))) {
      char text[INET6_ADDRSTRLEN];
      if (inet_ntop(type == TYPE_A ? AF_INET : AF_INET6, m + pos, text, sizeof text)) found = g_strdup(text);
    }
    pos += rdlen;
  }
out:
  g_string_free(owner, TRUE);
  return found;
}

/* The address field of a candidate line (its fifth), as [start, end). */
static gboolean address_field(const char *candidate, const char **start, const char **end) {
  const char *p = candidate;
  for (int field = 0; field < 4; field++) {
    p = strchr(p, ' ');
    if (!p) return FALSE;
    while (*p == ' ') p++;
  }
  *start = p;
  *end = p + strcspn(p, " ");
  return *end > *start;
}

char *mprtc__candidate_mdns_name(const char *candidate) {
  const char *start, *end;
  if (!candidate || !address_field(candidate, &start, &end)) return NULL;
  gsize n = (gsize)(end - start);
  if (n <= 6 || g_ascii_strncasecmp(end - 6, ".local", 6) != 0) return NULL;
  return g_strndup(start, n);
}

char *mprtc__candidate_with_address(const char *candidate, const char *address) {
  const char *start, *end;
  if (!address_field(candidate, &start, &end)) return g_strdup(candidate);
  return g_strdup_printf("%.*s%s%s", (int)(start - candidate), candidate, address, end);
}
