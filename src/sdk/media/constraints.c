/* The W3C constraint algorithm: see constraints.h. */
#include "sdk/media/constraints.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "mprtc/error.h"

/* The numeric properties of each kind, in the order settings are made. */
static const char *const video_numeric[] = {"width", "height", "frameRate", "aspectRatio", NULL};
static const char *const audio_numeric[] = {"sampleRate", "sampleSize", "channelCount", NULL};
static const char *const string_props[] = {"deviceId", "groupId", "facingMode", NULL};
/* No echo cancellation, gain control or noise suppression here: only false holds. */
static const char *const audio_booleans[] = {"echoCancellation", "autoGainControl", "noiseSuppression", NULL};

#define NUMERIC_MAX 4
#define VIDEO_DEFAULT_WIDTH 640
#define VIDEO_DEFAULT_HEIGHT 480
#define VIDEO_DEFAULT_FRAME_RATE 30

static const char *const *numeric_of(mprtc__kind kind) { return kind == MPRTC__KIND_VIDEO ? video_numeric : audio_numeric; }

static int index_in(const char *const *list, const char *name) {
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], name) == 0) return i;
  return -1;
}

/* Where a device's capabilities and the sets so far leave each numeric property. */
typedef struct {
  double lo[NUMERIC_MAX], hi[NUMERIC_MAX];
} ranges;

/* What one constraint set asks for besides ranges: the ideals and the string misses. */
typedef struct {
  ranges r;
  double ideal[NUMERIC_MAX];
  gboolean has_ideal[NUMERIC_MAX];
  double string_distance;
} set_result;

void mprtc__constraint_error_clear(mprtc__constraint_error *e) {
  g_free(e->constraint);
  g_free(e->message);
  memset(e, 0, sizeof *e);
}

static int fail(mprtc__constraint_error *e, int err, const char *constraint, char *message) {
  mprtc__constraint_error_clear(e);
  e->err = err;
  e->constraint = g_strdup(constraint);
  e->message = message;
  return -1;
}

/* JS's Math.round: halves go up. */
static double js_round(double v) { return floor(v + 0.5); }

static double clamp(double v, double lo, double hi) { return fmin(hi, fmax(lo, v)); }

static double distance(double actual, double ideal) {
  return actual == ideal ? 0 : fabs(actual - ideal) / fmax(fabs(actual), fabs(ideal));
}

/* A constraint in its full form {exact, ideal, min, max}: a bare value is ideal in the basic set
 * and exact in an advanced set (§4.3.8). New reference. */
static json_t *normalise(json_t *value, gboolean advanced) {
  if (json_is_object(value)) return json_incref(value);
  return json_pack("{s:O}", advanced ? "exact" : "ideal", value);
}

/* The strings a ConstrainDOMString value names (a string or a list of them), as JS's String()
 * would read other values; NULL when absent. */
static GPtrArray *string_list(const json_t *v) {
  if (!v) return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  size_t n = json_is_array(v) ? json_array_size(v) : 1;
  for (size_t i = 0; i < n; i++) {
    const json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
    if (json_is_string(item)) g_ptr_array_add(out, g_strdup(json_string_value(item)));
    else if (json_is_number(item)) g_ptr_array_add(out, g_strdup_printf("%.17g", json_number_value(item)));
    else if (json_is_boolean(item)) g_ptr_array_add(out, g_strdup(json_is_true(item) ? "true" : "false"));
    else g_ptr_array_add(out, g_strdup("null"));
  }
  return out;
}

/* Whether any string of wanted is one the device has. */
static gboolean any_of(const GPtrArray *wanted, const json_t *device, const char *prop) {
  const json_t *have = strcmp(prop, "facingMode") == 0
                           ? json_object_get(json_object_get(device, "capabilities"), "facingMode")
                           : json_object_get(device, prop);
  for (guint i = 0; i < wanted->len; i++) {
    size_t n = json_is_array(have) ? json_array_size(have) : 1;
    for (size_t k = 0; k < n; k++) {
      const json_t *h = json_is_array(have) ? json_array_get(have, k) : have;
      if (json_is_string(h) && strcmp(json_string_value(h), wanted->pdata[i]) == 0) return TRUE;
    }
  }
  return FALSE;
}

/* Narrows the range of numeric property i by c; FALSE (and error) when c cannot be met or is
 * malformed. */
static gboolean narrow(const char *prop, const json_t *c, double *lo, double *hi, mprtc__constraint_error *e) {
  static const char *const keys[] = {"exact", "min", "max"};
  for (int k = 0; k < 3; k++) {
    const json_t *v = json_object_get(c, keys[k]);
    if (v && !json_is_number(v)) {
      fail(e, MPRTC_E_INVAL, prop, g_strdup_printf("The constraint %s.%s is not a number.", prop, keys[k]));
      return FALSE;
    }
  }
  const json_t *exact = json_object_get(c, "exact"), *min = json_object_get(c, "min"), *max = json_object_get(c, "max");
  if (exact) {
    *lo = fmax(*lo, json_number_value(exact));
    *hi = fmin(*hi, json_number_value(exact));
  }
  if (min) *lo = fmax(*lo, json_number_value(min));
  if (max) *hi = fmin(*hi, json_number_value(max));
  /* A tolerance for rates and ratios given as decimals. */
  if (!(*lo <= *hi + 1e-9)) {
    fail(e, MPRTC_E_OVERCONSTRAINED, prop, g_strdup_printf("Cannot satisfy constraint '%s'.", prop));
    return FALSE;
  }
  *hi = fmax(*lo, *hi);
  return TRUE;
}

/* One constraint set against a device: FALSE with *e when it cannot be met (OverconstrainedError)
 * or is malformed (TypeError), else out: the ranges it leaves and the ideals it asks for. */
static gboolean apply_set(mprtc__kind kind, const json_t *device, const json_t *set, gboolean advanced,
                          const ranges *in, set_result *out, mprtc__constraint_error *e) {
  const char *const *numeric = numeric_of(kind);
  memset(out, 0, sizeof *out);
  out->r = *in;
  const char *prop;
  json_t *value;
  json_object_foreach((json_t *)set, prop, value) {
    if (strcmp(prop, "advanced") == 0) continue;
    json_t *c = normalise(value, advanced);
    gboolean ok = TRUE;
    int i = index_in(numeric, prop);
    if (i >= 0) {
      ok = narrow(prop, c, &out->r.lo[i], &out->r.hi[i], e);
      const json_t *ideal = json_object_get(c, "ideal");
      if (ok && ideal && !json_is_number(ideal))
        ok = fail(e, MPRTC_E_INVAL, prop, g_strdup_printf("The constraint %s.ideal is not a number.", prop)) == 0;
      if (ok && ideal) {
        out->ideal[i] = json_number_value(ideal);
        out->has_ideal[i] = TRUE;
      }
    } else if (index_in(string_props, prop) >= 0) {
      GPtrArray *exact = string_list(json_object_get(c, "exact")), *ideal = string_list(json_object_get(c, "ideal"));
      if (exact && !any_of(exact, device, prop))
        ok = fail(e, MPRTC_E_OVERCONSTRAINED, prop, g_strdup_printf("Cannot satisfy constraint '%s'.", prop)) == 0;
      if (ok && ideal) out->string_distance += any_of(ideal, device, prop) ? 0 : 1;
      if (exact) g_ptr_array_unref(exact);
      if (ideal) g_ptr_array_unref(ideal);
    } else if (kind == MPRTC__KIND_AUDIO && index_in(audio_booleans, prop) >= 0) {
      if (json_is_true(json_object_get(c, "exact")))
        ok = fail(e, MPRTC_E_OVERCONSTRAINED, prop, g_strdup_printf("Cannot satisfy constraint '%s'.", prop)) == 0;
    }
    json_decref(c);
    if (!ok) return FALSE;
  }
  return TRUE;
}

static double ideal_or(const set_result *s, int i, double fallback) { return s->has_ideal[i] ? s->ideal[i] : fallback; }

static double current_or(const json_t *current, const char *key, double fallback) {
  const json_t *v = json_object_get(current, key);
  return json_is_number(v) ? json_number_value(v) : fallback;
}

/* Concrete settings inside the ranges, nearest the ideals, then the current settings (or the
 * defaults). */
static json_t *settle(mprtc__kind kind, const json_t *device, const ranges *r, const set_result *s,
                      const json_t *current) {
  const char *device_id = json_string_value(json_object_get(device, "deviceId"));
  const char *group_id = json_string_value(json_object_get(device, "groupId"));
  if (kind == MPRTC__KIND_AUDIO) {
    double rate = clamp(ideal_or(s, 0, 48000), r->lo[0], r->hi[0]);
    double channels = js_round(clamp(ideal_or(s, 2, current_or(current, "channelCount", 1)), r->lo[2], r->hi[2]));
    return json_pack("{s:s?,s:s?,s:f,s:i,s:f,s:b,s:b,s:b,s:f}", "deviceId", device_id, "groupId", group_id,
                     "sampleRate", rate, "sampleSize", 16, "channelCount", channels, "echoCancellation", 0,
                     "autoGainControl", 0, "noiseSuppression", 0, "latency", 0.01);
  }
  enum { W, H, RATE, RATIO };
  double base_w = current_or(current, "width", VIDEO_DEFAULT_WIDTH);
  double base_h = current_or(current, "height", VIDEO_DEFAULT_HEIGHT);
  double base_rate = current_or(current, "frameRate", VIDEO_DEFAULT_FRAME_RATE);
  gboolean has_ratio = s->has_ideal[RATIO];
  double ratio = s->ideal[RATIO], width, height;
  if (!s->has_ideal[W] && !s->has_ideal[H]) {
    height = base_h;
    width = has_ratio ? height * ratio : base_w;
  } else if (!s->has_ideal[W]) {
    height = s->ideal[H];
    width = has_ratio ? height * ratio : height * base_w / base_h;
  } else if (!s->has_ideal[H]) {
    width = s->ideal[W];
    height = has_ratio ? width / ratio : width * base_h / base_w;
  } else {
    width = s->ideal[W];
    height = s->ideal[H];
  }
  width = js_round(clamp(width, r->lo[W], r->hi[W]));
  height = js_round(clamp(height, r->lo[H], r->hi[H]));
  /* An exact or bounded aspect ratio: move the free side into the range. */
  if (width / height < r->lo[RATIO] - 1e-6 || width / height > r->hi[RATIO] + 1e-6) {
    double target = clamp(width / height, r->lo[RATIO], r->hi[RATIO]);
    double w2 = js_round(clamp(height * target, r->lo[W], r->hi[W]));
    if (fabs(w2 / height - target) < 0.01) width = w2;
    else height = js_round(clamp(width / target, r->lo[H], r->hi[H]));
  }
  /* Even sizes: I420 and every encoder want them. */
  width -= fmod(width, 2);
  height -= fmod(height, 2);
  width = fmax(width, r->lo[W]);
  height = fmax(height, r->lo[H]);
  double rate = clamp(ideal_or(s, RATE, base_rate), r->lo[RATE], r->hi[RATE]);
  json_t *settings = json_pack("{s:s?,s:s?,s:i,s:i,s:f,s:f,s:s}", "deviceId", device_id, "groupId", group_id, "width",
                               (int)width, "height", (int)height, "frameRate", rate, "aspectRatio",
                               js_round(width / height * 1e4) / 1e4, "resizeMode", "crop-and-scale");
  const json_t *facing = json_object_get(json_object_get(device, "capabilities"), "facingMode");
  size_t i;
  json_t *f;
  json_array_foreach(facing, i, f) if (json_is_string(f)) {
    json_object_set(settings, "facingMode", f);
    break;
  }
  return settings;
}

/* The setting settings has for numeric property i, or NAN. */
static double setting_of(const json_t *settings, const char *prop) {
  const json_t *v = json_object_get(settings, prop);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

int mprtc__select_settings(mprtc__kind kind, const json_t *constraints, const json_t *devices, const json_t *current,
                           json_t **settings, mprtc__constraint_error *e) {
  memset(e, 0, sizeof *e);
  const char *input = kind == MPRTC__KIND_VIDEO ? "videoinput" : "audioinput";
  const char *const *numeric = numeric_of(kind);
  json_t *basic = json_is_object(constraints) ? json_incref((json_t *)constraints) : json_object();
  const char *key;
  json_t *c;
  int best = -1, candidates = 0;
  double best_fitness = 0;
  *settings = NULL;
  /* A range of min over max can meet nothing, whatever the device. */
  json_object_foreach(basic, key, c) {
    const json_t *min = json_object_get(c, "min"), *max = json_object_get(c, "max");
    if (json_is_number(min) && json_is_number(max) && json_number_value(min) > json_number_value(max)) {
      fail(e, MPRTC_E_OVERCONSTRAINED, key, g_strdup_printf("Constraint %s has min greater than max.", key));
      json_decref(basic);
      return -1;
    }
  }
  mprtc__constraint_error last_failure = {0};
  size_t d;
  json_t *device;
  json_array_foreach(devices, d, device) {
    if (g_strcmp0(json_string_value(json_object_get(device, "kind")), input) != 0) continue;
    candidates++;
    ranges start;
    const json_t *caps = json_object_get(device, "capabilities");
    for (int i = 0; numeric[i]; i++) {
      const json_t *cap = json_object_get(caps, numeric[i]);
      start.lo[i] = cap ? json_number_value(json_object_get(cap, "min")) : -INFINITY;
      start.hi[i] = cap ? json_number_value(json_object_get(cap, "max")) : INFINITY;
    }
    set_result base;
    mprtc__constraint_error failure = {0};
    if (!apply_set(kind, device, basic, FALSE, &start, &base, &failure)) {
      /* A malformed constraint is the app's error whatever the device. */
      if (failure.err == MPRTC_E_INVAL) {
        *e = failure;
        mprtc__constraint_error_clear(&last_failure);
        json_decref(basic);
        return -1;
      }
      /* The constraint reported is the one the last candidate could not meet. */
      mprtc__constraint_error_clear(&last_failure);
      last_failure = failure;
      continue;
    }
    ranges r = base.r;
    size_t k;
    json_t *set;
    json_array_foreach(json_object_get(basic, "advanced"), k, set) {
      set_result narrowed;
      mprtc__constraint_error skipped = {0};
      if (!json_is_object(set)) continue;
      if (apply_set(kind, device, set, TRUE, &r, &narrowed, &skipped)) r = narrowed.r;
      else if (skipped.err == MPRTC_E_INVAL) {
        *e = skipped;
        mprtc__constraint_error_clear(&last_failure);
        json_decref(basic);
        if (*settings) json_decref(*settings);
        *settings = NULL;
        return -1;
      }
      mprtc__constraint_error_clear(&skipped); /* a set that cannot be met is skipped */
    }
    json_t *s = settle(kind, device, &r, &base, current);
    double fitness = base.string_distance;
    for (int i = 0; numeric[i]; i++) {
      double actual = setting_of(s, numeric[i]);
      if (base.has_ideal[i] && !isnan(actual)) fitness += distance(actual, base.ideal[i]);
    }
    if (best < 0 || fitness < best_fitness) {
      if (*settings) json_decref(*settings);
      *settings = s;
      best = (int)d;
      best_fitness = fitness;
    } else {
      json_decref(s);
    }
  }
  json_decref(basic);
  if (best >= 0) {
    mprtc__constraint_error_clear(&last_failure);
    return best;
  }
  if (candidates == 0) {
    mprtc__constraint_error_clear(&last_failure);
    const char *what = kind == MPRTC__KIND_VIDEO ? "video" : "audio";
    return fail(e, MPRTC_E_NOT_FOUND, NULL, g_strdup_printf("Requested device not found: no %s input device.", what));
  }
  *e = last_failure;
  return -1;
}

int mprtc__check_settings(mprtc__kind kind, const json_t *constraints, const json_t *settings,
                          mprtc__constraint_error *e) {
  memset(e, 0, sizeof *e);
  if (!json_is_object(constraints)) return 0;
  const char *const *numeric = numeric_of(kind);
  /* The settings as a device of one point: its own IDs, each known number its only value. */
  json_t *device = json_pack("{s:O?,s:O?,s:{}}", "deviceId", json_object_get(settings, "deviceId"), "groupId",
                             json_object_get(settings, "groupId"), "capabilities");
  ranges point;
  for (int i = 0; numeric[i]; i++) {
    double v = setting_of(settings, numeric[i]);
    point.lo[i] = isnan(v) ? -INFINITY : v;
    point.hi[i] = isnan(v) ? INFINITY : v;
  }
  set_result set;
  int result = 0;
  if (!apply_set(kind, device, constraints, FALSE, &point, &set, e)) {
    result = -1;
  } else {
    for (int i = 0; numeric[i] && result == 0; i++) {
      double actual = setting_of(settings, numeric[i]);
      if (set.has_ideal[i] && !isnan(actual) && distance(actual, set.ideal[i]) > 0.01)
        result = fail(e, MPRTC_E_OVERCONSTRAINED, numeric[i],
                      g_strdup_printf("Cannot satisfy constraint '%s'.", numeric[i]));
    }
  }
  json_decref(device);
  return result;
}
