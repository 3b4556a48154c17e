/* libFuzzer target: the call-block decoder and the reply encoders on arbitrary bytes. The
 * decoder must refuse or accept every input without crashing, leaking or reading past len, and
 * whatever it accepts must encode back to JSON that parses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly size bytes, so that ASan catches any read past the end. */
  char *text = malloc(size ? size : 1);
  if (!text) return 0;
  memcpy(text, data, size);
  mprtc__request req;
  char errmsg[MPRTC__ERRMSG_MAX];
  /* Half the inputs come with an attachment (of a size taken from the input), half without. */
  int64_t attached = size && (data[0] & 1) ? (int64_t)(size % 97) : -1;
  int err = mprtc__request_decode(text, size, attached, &req, errmsg);
  if (err == 0) {
    if (req.bytes != attached) abort();
    char *reply = mprtc__reply_result_encode(req.seq, req.params, req.bytes, NULL);
    json_t *back = reply ? json_loads(reply, 0, NULL) : NULL;
    if (!back) abort();
    json_decref(back);
    free(reply);
    mprtc__request_clear(&req);
  } else {
    if (strlen(errmsg) == 0) abort();
    char *reply = mprtc__reply_error_encode(req.seq, err, errmsg, size & 1 ? errmsg : NULL, NULL);
    json_t *back = reply ? json_loads(reply, 0, NULL) : NULL;
    if (!back) abort();
    json_decref(back);
    free(reply);
  }
  free(text);
  return 0;
}
