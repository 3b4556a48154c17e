/* UTF-8 conversions: see utf8.h. The decoder is the Encoding Standard's "UTF-8 decoder"
 * state machine (bytes needed / seen, lower and upper boundary), which fixes exactly how many
 * U+FFFD an invalid sequence turns into, as browsers do. */
#include "base/utf8.h"

size_t mprtc__utf16_to_utf8(const uint16_t *in, size_t n, uint8_t *out) {
  uint8_t *p = out;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = in[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    if (c < 0x80) {
      *p++ = (uint8_t)c;
    } else if (c < 0x800) {
      *p++ = (uint8_t)(0xC0 | (c >> 6));
      *p++ = (uint8_t)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *p++ = (uint8_t)(0xE0 | (c >> 12));
      *p++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
      *p++ = (uint8_t)(0x80 | (c & 0x3F));
    } else {
      *p++ = (uint8_t)(0xF0 | (c >> 18));
      *p++ = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
      *p++ = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
      *p++ = (uint8_t)(0x80 | (c & 0x3F));
    }
  }
  return (size_t)(p - out);
}

static uint16_t *put_code_point(uint16_t *o, uint32_t c) {
  if (c >= 0x10000) {
    c -= 0x10000;
    *o++ = (uint16_t)(0xD800 + (c >> 10));
    *o++ = (uint16_t)(0xDC00 + (c & 0x3FF));
  } else {
    *o++ = (uint16_t)c;
  }
  return o;
}

long mprtc__utf8_to_utf16(const uint8_t *in, size_t n, int fatal, int stream, uint16_t *out,
                          size_t *consumed) {
  uint16_t *o = out;
  uint32_t code_point = 0;
  int needed = 0, seen = 0;
  uint8_t lower = 0x80, upper = 0xBF;
  size_t seq_start = 0;
  size_t i = 0;
  while (i < n) {
    uint8_t b = in[i];
    if (needed == 0) {
      seq_start = i;
      if (b <= 0x7F) {
        *o++ = b;
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        code_point = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        code_point = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        code_point = b & 0x7;
      } else {
        if (fatal) return -1;
        *o++ = 0xFFFD;
      }
      i++;
      continue;
    }
    if (b < lower || b > upper) {
      /* The byte is not consumed: it starts over as the first byte of the next sequence. */
      needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      if (fatal) return -1;
      *o++ = 0xFFFD;
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (b & 0x3F);
    i++;
    if (++seen == needed) {
      o = put_code_point(o, code_point);
      needed = seen = 0;
      code_point = 0;
    }
  }
  size_t used = n;
  if (needed) {
    if (stream) {
      used = seq_start;
    } else {
      if (fatal) return -1;
      *o++ = 0xFFFD;
    }
  }
  if (consumed) *consumed = used;
  return (long)(o - out);
}
