/* Unit tests of WXML's binding expressions (src/view/expr.c): each case is what JS (and so the
 * platform) gives for the same expression over the same data. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "view/expr.h"

static const char *data_json =
    "{\"a\": 1, \"b\": 2, \"s\": \"str\", \"e\": \"\", \"z\": 0, \"n\": null, \"t\": true, \"f\": false,"
    " \"arr\": [10, 20, {\"x\": \"deep\"}], \"obj\": {\"k\": \"v\", \"list\": [1, 2, 3], \"key\": \"k\"},"
    " \"num\": \"42\", \"half\": 0.5, \"big\": 1e21, \"tiny\": 1e-7}";

/* The text WXML shows for src evaluated over data (with an inner scope when given). */
static char *show(const char *src, const char *inner_json) {
  json_t *data = json_loads(data_json, 0, NULL);
  json_t *inner = inner_json ? json_loads(inner_json, 0, NULL) : NULL;
  mprtc__scope outer = {data, NULL}, scope = {inner, &outer};
  char *error = NULL;
  size_t offset = 0;
  mprtc__expr *e = mprtc__expr_parse(src, strlen(src), &error, &offset);
  if (!e) g_error("'%s' did not parse: %s at %zu", src, error, offset);
  json_t *v = mprtc__expr_eval(e, inner ? &scope : &outer);
  char *text = mprtc__js_text_of(v);
  if (v) json_decref(v);
  mprtc__expr_free(e);
  if (inner) json_decref(inner);
  json_decref(data);
  return text;
}

static void check(const char *src, const char *expected) {
  char *got = show(src, NULL);
  if (strcmp(got, expected) != 0) g_error("{{%s}} showed '%s', not '%s'", src, got, expected);
  g_free(got);
}

static void test_literals(void) {
  check("1", "1");
  check("1.50", "1.5");
  check("0x1F", "31");
  check(".5", "0.5");
}

static void test_literals_strings(void) {
  check("'a\\'b'", "a'b");
  check("\"dq\"", "dq");
  check("'\\u4e2d'", "\xe4\xb8\xad");
  check("true", "true");
  check("false", "false");
  check("null", "");
  check("undefined", "");
  check("[1, 'x', null, true]", "1,x,,true");
  check("[]", "");
}

static void test_numbers_as_js_prints_them(void) {
  struct { double d; const char *s; } cases[] = {
    {0.1 + 0.2, "0.30000000000000004"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
    {1e-7, "1e-7"}, {1.5e-6, "0.0000015"}, {-2.5, "-2.5"}, {123456789012, "123456789012"},
    {NAN, "NaN"}, {INFINITY, "Infinity"}, {-INFINITY, "-Infinity"}, {-0.0, "0"}, {1.25e-10, "1.25e-10"},
    {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"}, {100, "100"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *s = mprtc__js_number_string(cases[i].d);
    g_assert_cmpstr(s, ==, cases[i].s);
    g_free(s);
  }
  check("big", "1e+21");
  check("tiny", "1e-7");
}

static void test_names_and_members(void) {
  check("a", "1");
  check("missing", "");
  check("s", "str");
  check("arr[1]", "20");
  check("arr[2].x", "deep");
  check("arr.length", "3");
  check("arr['1']", "20");
  check("arr[5]", "");
  check("obj.k", "v");
  check("obj[obj.key]", "v");
  check("obj['k']", "v");
  check("obj.list[a + 1]", "3");
  check("s.length", "3");
  check("s[0]", "s");
  check("missing.deeper", ""); /* the platform shows nothing where JS would throw */
  check("n.x", "");
  check("obj", "[object Object]");
  check("arr", "10,20,[object Object]");
}

static void test_arithmetic(void) {
  check("a + b", "3");
  check("a + b * 3", "7");
  check("(a + b) * 3", "9");
  check("7 % 3", "1");
  check("-7 % 3", "-1");
  check("1 / 0", "Infinity");
  check("-1 / 0", "-Infinity");
  check("0 / 0", "NaN");
  check("s - 1", "NaN");
  check("num - 2", "40");
  check("num + 2", "422");
  check("a + s", "1str");
  check("'x' + null", "xnull");
  check("'x' + undefined", "xundefined");
  check("1 + null", "1");
  check("1 + true", "2");
  check("t + t", "2");
  check("1 + undefined", "NaN");
  check("+num", "42");
  check("-s", "NaN");
  check("+''", "0");
  check("+'  12  '", "12");
  check("+'0x10'", "16");
  check("+[]", "0");
  check("+[5]", "5");
  check("+[1,2]", "NaN");
  check("+{}", "NaN");
  check("10 - 2 - 3", "5");
  check("2 * 3 % 4", "2");
  check("half * 4", "2");
  check("[1] + [2]", "12");
  check("'a' + arr", "a10,20,[object Object]");
}

static void test_bitwise(void) {
  check("5 & 3", "1");
  check("5 | 3", "7");
  check("5 ^ 3", "6");
  check("~5", "-6");
  check("~~3.7", "3");
  check("4294967297 | 0", "1");
  check("2147483648 | 0", "-2147483648");
  check("1 | 2 ^ 3 & 4", "3"); /* & over ^ over | */
}

static void test_comparison_and_equality(void) {
  check("a < b", "true");
  check("a >= b", "false");
  check("'10' < '9'", "true");  /* two strings compare as strings */
  check("'10' < 9", "false");   /* otherwise as numbers */
  check("num == 42", "true");
  check("num === 42", "false");
  check("n == undefined", "true");
  check("n === undefined", "false");
  check("n == 0", "false");
  check("z == ''", "true");
  check("z == f", "true");
  check("0 / 0 == 0 / 0", "false");
  check("0 / 0 != 0 / 0", "true");
  check("1 / 0 === 1 / 0", "true");
  check("arr == arr", "true");
  check("[1] == 1", "true");
  check("[1,2] == '1,2'", "true");
  check("obj == obj", "true");
  check("{} == {}", "false");
  check("a !== 1", "false");
  check("a != '1'", "false");
  check("1 < 2 < 3", "true");
  check("3 > 2 > 1", "false");
  check("missing < 1", "false");
}

static void test_logic_and_conditions(void) {
  check("!a", "false");
  check("!!s", "true");
  check("!e", "true");
  check("!(0 / 0)", "true");
  check("!arr", "false");
  check("a && s", "str");
  check("z && s", "0");
  check("z || s", "str");
  check("n || 'fallback'", "fallback");
  check("e || missing || 'last'", "last");
  check("a || b && z", "1");
  check("t ? 'yes' : 'no'", "yes");
  check("f ? 'yes' : 'no'", "no");
  check("a > 1 ? 'big' : a > 0 ? 'small' : 'none'", "small");
  check("a ? b ? 'ab' : 'a' : 'none'", "ab");
  check("typeof a", "number");
  check("typeof s", "string");
  check("typeof n", "object");
  check("typeof missing", "undefined");
  check("typeof t", "boolean");
  check("typeof (1 / 0)", "number");
  check("typeof arr", "object");
}

static void test_objects(void) {
  /* The brace-less form, as template data takes it. */
  char *json;
  struct { const char *src, *json; } cases[] = {
    {"x: 1, y: s", "{\"x\": 1, \"y\": \"str\"}"},
    {"a, b", "{\"a\": 1, \"b\": 2}"},
    {"...obj, k: 'over'", "{\"k\": \"over\", \"list\": [1, 2, 3], \"key\": \"k\"}"},
    {"...arr", "{\"0\": 10, \"1\": 20, \"2\": {\"x\": \"deep\"}}"},
    {"{x: [a, b]}", "{\"x\": [1, 2]}"},
    {"'quoted key': 1", "{\"quoted key\": 1}"},
    {"x: missing, y: 1", "{\"y\": 1}"},
    {"x: 1 / 2", "{\"x\": 0.5}"},
    {"x: a ? 1 : 2", "{\"x\": 1}"},
  };
  json_t *data = json_loads(data_json, 0, NULL);
  mprtc__scope scope = {data, NULL};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *error = NULL;
    size_t offset;
    mprtc__expr *e = mprtc__expr_parse(cases[i].src, strlen(cases[i].src), &error, &offset);
    if (!e) g_error("'%s' did not parse: %s", cases[i].src, error);
    json_t *v = mprtc__expr_eval(e, &scope), *want = json_loads(cases[i].json, 0, NULL);
    json = json_dumps(v, JSON_SORT_KEYS);
    if (!json_equal(v, want)) g_error("{{%s}} was %s", cases[i].src, json);
    free(json);
    json_decref(v);
    json_decref(want);
    mprtc__expr_free(e);
  }
  json_decref(data);
}

static void test_scopes(void) {
  /* wx:for's item and index shadow the page's data; the rest falls through. */
  char *s = show("item.name + index + a", "{\"item\": {\"name\": \"n\"}, \"index\": 3}");
  g_assert_cmpstr(s, ==, "n31");
  g_free(s);
  s = show("a", "{\"a\": \"inner\"}");
  g_assert_cmpstr(s, ==, "inner");
  g_free(s);
}

static void test_paths(void) {
  struct { const char *src; gboolean path; } cases[] = {
    {"list", TRUE}, {"a.b[0].c", TRUE}, {"a[i]", TRUE}, {"a + 1", FALSE}, {"'x'", FALSE}, {"[1]", FALSE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *error = NULL;
    size_t offset;
    mprtc__expr *e = mprtc__expr_parse(cases[i].src, strlen(cases[i].src), &error, &offset);
    g_assert_nonnull(e);
    g_assert_cmpint(mprtc__expr_is_path(e), ==, cases[i].path);
    mprtc__expr_free(e);
  }
}

static void test_errors(void) {
  struct { const char *src; const char *message; size_t offset; } cases[] = {
    {"", "an empty binding", 0},
    {"   ", "an empty binding", 3},
    {"a +", "an expression was expected", 3},
    {"'open", "unterminated string", 5},
    {"(a", "')' was expected", 2},
    {"f(1)", "function calls are not allowed in a binding", 1},
    {"a ? b", "':' was expected", 5},
    {"[1 2]", "',' or ']' was expected", 3},
    {"a.", "a name was expected after '.'", 2},
    {"a b", "unexpected 'b'", 2},
    {"x: 1 y", "',' or 'the end' was expected", 5},
    {"{x: 1", "',' or '}' was expected", 5},
    {"#", "unexpected '#'", 0},
    {"1a", "a number must not run into a name", 1},
    {"a = 1", "unexpected '='", 2},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *error = NULL;
    size_t offset = 99;
    mprtc__expr *e = mprtc__expr_parse(cases[i].src, strlen(cases[i].src), &error, &offset);
    if (e) g_error("'%s' parsed", cases[i].src);
    if (strcmp(error, cases[i].message) != 0 || offset != cases[i].offset)
      g_error("'%s': '%s' at %zu, not '%s' at %zu", cases[i].src, error, offset, cases[i].message, cases[i].offset);
    g_free(error);
  }
}

static void test_truthy_and_number(void) {
  json_t *values[] = {json_integer(0), json_real(0.5), json_string(""), json_string("0"), json_null(),
                      json_true(), json_array(), json_object()};
  gboolean truthy[] = {FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, TRUE, TRUE};
  for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
    g_assert_cmpint(mprtc__js_truthy(values[i]), ==, truthy[i]);
    json_decref(values[i]);
  }
  g_assert_false(mprtc__js_truthy(NULL));
  g_assert_true(isnan(mprtc__js_number(NULL)));
  json_t *nan = mprtc__js_number_value(NAN);
  g_assert_false(mprtc__js_truthy(nan));
  g_assert_true(isnan(mprtc__js_number(nan)));
  json_decref(nan);
  json_t *whole = mprtc__js_number_value(3);
  g_assert_true(json_is_integer(whole));
  json_decref(whole);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/expr/literals", test_literals);
  g_test_add_func("/expr/strings", test_literals_strings);
  g_test_add_func("/expr/numbers", test_numbers_as_js_prints_them);
  g_test_add_func("/expr/members", test_names_and_members);
  g_test_add_func("/expr/arithmetic", test_arithmetic);
  g_test_add_func("/expr/bitwise", test_bitwise);
  g_test_add_func("/expr/comparison", test_comparison_and_equality);
  g_test_add_func("/expr/logic", test_logic_and_conditions);
  g_test_add_func("/expr/objects", test_objects);
  g_test_add_func("/expr/scopes", test_scopes);
  g_test_add_func("/expr/paths", test_paths);
  g_test_add_func("/expr/errors", test_errors);
  g_test_add_func("/expr/conversions", test_truthy_and_number);
  return g_test_run();
}
