/* UTF-8 <-> UTF-16 conversion with the WHATWG Encoding Standard's error handling, for
 * TextEncoder and TextDecoder. Pure functions: any thread.
 */
#ifndef MPRTC_BASE_UTF8_H
#define MPRTC_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Encodes n UTF-16 code units as UTF-8; lone surrogates become U+FFFD. out must hold 3 * n
 * bytes. Returns the number of bytes written. */
size_t mprtc__utf16_to_utf8(const uint16_t *in, size_t n, uint8_t *out);

/* Decodes n bytes of UTF-8 into out (which must hold n + 1 code units). Each maximal invalid
 * subpart becomes one U+FFFD; with fatal set, the first one stops decoding and -1 is returned.
 * With stream set, an incomplete sequence at the end is not decoded: *consumed tells how many
 * bytes were (the caller keeps the rest for the next chunk). Returns the number of code units
 * written, or -1. */
long mprtc__utf8_to_utf16(const uint8_t *in, size_t n, int fatal, int stream, uint16_t *out,
                          size_t *consumed);

#endif
