/* The one table behind mprtc_strerror() and the bridge's error names. */
#include "mprtc/error.h"

#include <stddef.h>

typedef struct {
  int code;
  const char *name;
  const char *dom_name;
  const char *text;
} error_entry;

static const error_entry error_table[] = {
#define MPRTC__ERROR_ROW(name, value, dom, text) {value, #name, dom, text},
  MPRTC_ERROR_MAP(MPRTC__ERROR_ROW)
#undef MPRTC__ERROR_ROW
};

static const error_entry *find_error(int err) {
  for (size_t i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
    if (error_table[i].code == err) return &error_table[i];
  return NULL;
}

const char *mprtc_strerror(int err) {
  if (err == 0) return "success";
  const error_entry *e = find_error(err);
  return e ? e->text : "unknown error";
}

const char *mprtc_error_dom_name(int err) {
  const error_entry *e = find_error(err);
  return e ? e->dom_name : "OperationError";
}

const char *mprtc_error_name(int err) {
  if (err == 0) return "OK";
  const error_entry *e = find_error(err);
  return e ? e->name : "UNKNOWN";
}
