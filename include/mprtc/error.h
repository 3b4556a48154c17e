/* mprtc error codes.
 *
 * Every C function that can fail returns 0 or one of these negative codes; an error return
 * means that any callback passed to the call will never run. Each code carries the name of
 * the W3C DOMException (or JS error) that the logic layer raises for it, so one table serves
 * both the C API and the bridge's error replies.
 *
 * Thread rules: every function here is pure and may be called from any thread.
 */
#ifndef MPRTC_ERROR_H
#define MPRTC_ERROR_H

#include "mprtc/export.h"

/* XX(NAME, value, DOMException name, description) */
#define MPRTC_ERROR_MAP(XX)                                                                 \
  XX(INVAL, -1, "TypeError", "invalid argument")                                            \
  XX(NOMEM, -2, "OperationError", "out of memory")                                          \
  XX(BLOCK_JSON, -10, "SyntaxError", "call block is not valid JSON")                        \
  XX(BLOCK_TOO_LARGE, -11, "QuotaExceededError", "call block is too large")                 \
  XX(BLOCK_TOO_DEEP, -12, "DataError", "call block is nested too deeply")                   \
  XX(BLOCK_FIELD, -13, "TypeError", "call block has a missing or ill-typed field")          \
  XX(BLOCK_VERSION, -14, "NotSupportedError", "unsupported call block protocol version")    \
  XX(UNKNOWN_METHOD, -15, "NotSupportedError", "unknown method")                            \
  XX(NO_OBJECT, -16, "NotFoundError", "no such object for this app")                        \
  XX(WRONG_INTERFACE, -17, "TypeError", "object does not implement the method's interface") \
  XX(APP_MISMATCH, -18, "SecurityError", "call block names another app")                    \
  XX(CLOSED, -19, "InvalidStateError", "object or channel is closed")                       \
  XX(IO, -20, "OperationError", "input/output error")                                       \
  XX(THREAD, -21, "OperationError", "could not start a thread")                             \
  XX(APP_EXISTS, -22, "InvalidStateError", "an app of this ID is running in the container") \
  XX(BUSY, -23, "InvalidStateError", "too late: the app is running already")                \
  XX(OUTSIDE_PACKAGE, -24, "TypeError", "the path is outside the app's package")            \
  /* The errors the Web APIs raise (W3C names), as the SDK's handlers reject calls. */       \
  XX(INVALID_STATE, -30, "InvalidStateError", "the object is in the wrong state for this")  \
  XX(INVALID_ACCESS, -31, "InvalidAccessError", "the object does not support this")         \
  XX(INVALID_MODIFICATION, -32, "InvalidModificationError", "this cannot be changed")       \
  XX(NOT_ALLOWED, -33, "NotAllowedError", "permission denied")                              \
  XX(NOT_FOUND, -34, "NotFoundError", "not found")                                          \
  XX(NOT_READABLE, -35, "NotReadableError", "the device could not be read")                 \
  XX(NOT_SUPPORTED, -36, "NotSupportedError", "not supported")                              \
  XX(OPERATION, -37, "OperationError", "the operation failed")                              \
  XX(OVERCONSTRAINED, -38, "OverconstrainedError", "the constraints cannot be satisfied")   \
  XX(QUOTA, -39, "QuotaExceededError", "over a size limit")                                 \
  XX(SYNTAX, -40, "SyntaxError", "malformed input")

typedef enum {
  MPRTC_OK = 0,
#define MPRTC__ERROR_ENUM(name, value, dom, text) MPRTC_E_##name = value,
  MPRTC_ERROR_MAP(MPRTC__ERROR_ENUM)
#undef MPRTC__ERROR_ENUM
} mprtc_error;

/* A static English description of err ("unknown error" for codes not in the table). */
MPRTC_API const char *mprtc_strerror(int err);

/* The DOMException (or JS error) name the logic layer raises for err ("OperationError" for
 * codes not in the table). */
MPRTC_API const char *mprtc_error_dom_name(int err);

/* The code's symbolic name without the prefix, e.g. "BLOCK_JSON". */
MPRTC_API const char *mprtc_error_name(int err);

#endif
