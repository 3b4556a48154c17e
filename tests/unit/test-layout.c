/* Unit tests of WXSS (src/view/wxss.c), the cascade (style.c) and layout (layout.c, text.c):
 * sheets good and broken, specificity and inheritance, rpx, block and flex boxes, text runs. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "view/layout.h"
#include "view/page.h"
#include "view/selector.h"

static char *read_none(const char *path, size_t *len, char **error, void *data) {
  GHashTable *files = data;
  const char *text = files ? g_hash_table_lookup(files, path) : NULL;
  if (!text) {
    *error = g_strdup_printf("no file '%s'", path);
    return NULL;
  }
  *len = strlen(text);
  return g_strdup(text);
}

typedef struct {
  GHashTable *files;
  mprtc__wxml_set *set;
  mprtc__wxss *sheet;
  mprtc__vnode *root;
  mprtc__cascade cascade;
  double height;
} page;

/* Renders wxml over data with sheet, laid out in a window of width x 600. */
static page *lay_out(const char *wxml, const char *wxss, const char *data_json, double width) {
  page *p = g_new0(page, 1);
  p->files = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(p->files, "p.wxml", (char *)wxml);
  p->set = mprtc__wxml_set_new(read_none, p->files);
  char *error = NULL;
  const mprtc__wxml *w = mprtc__wxml_set_load(p->set, "p.wxml", &error);
  if (!w) g_error("%s", error);
  p->sheet = mprtc__wxss_parse("p.wxss", wxss, strlen(wxss), read_none, p->files);
  json_t *data = json_loads(data_json, 0, NULL);
  p->root = mprtc__render(p->set, w, data);
  json_decref(data);
  mprtc__vnode_reconcile(p->root, NULL);
  p->cascade = (mprtc__cascade){{p->sheet, NULL}, width, 600, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
                                g_ptr_array_new_with_free_func(g_free)};
  p->height = mprtc__layout_page(p->root, &p->cascade, width, 600, NULL, NULL);
  return p;
}

static void page_free(page *p) {
  mprtc__vnode_free(p->root);
  mprtc__wxss_free(p->sheet);
  mprtc__wxml_set_free(p->set);
  g_hash_table_unref(p->files);
  g_hash_table_unref(p->cascade.warned);
  g_ptr_array_unref(p->cascade.warnings);
  g_free(p);
}

static mprtc__vstate *by_id(page *p, const char *id) {
  char *sel = g_strconcat("#", id, NULL);
  char *error = NULL;
  size_t offset;
  mprtc__selector *s = mprtc__selector_parse(sel, -1, &error, &offset);
  GPtrArray *all = mprtc__selector_query_all(s, p->root);
  if (all->len != 1) g_error("#%s matches %u elements", id, all->len);
  mprtc__vstate *st = ((mprtc__vnode *)all->pdata[0])->state;
  g_ptr_array_unref(all);
  mprtc__selector_free(s);
  g_free(sel);
  return st;
}

#define assert_box(st, X, Y, W, H)                                                                      \
  do {                                                                                                  \
    const mprtc__vstate *b_ = (st);                                                                     \
    if (fabs(b_->x - (X)) > 0.01 || fabs(b_->y - (Y)) > 0.01 || fabs(b_->w - (W)) > 0.01 || fabs(b_->h - (H)) > 0.01) \
      g_error("box [%g %g %g %g], not [%g %g %g %g]", b_->x, b_->y, b_->w, b_->h, (double)(X), (double)(Y),        \
              (double)(W), (double)(H));                                                                \
  } while (0)

/* ---- values ---- */

static void test_colors_and_lengths(void) {
  mprtc__color c;
  g_assert_true(mprtc__parse_color("#f00", &c) && c.r == 1 && c.g == 0 && c.a == 1);
  g_assert_true(mprtc__parse_color("#00ff0080", &c) && c.g == 1 && fabs(c.a - 128 / 255.0) < 1e-9);
  g_assert_true(mprtc__parse_color("rgba(0, 0, 255, 0.5)", &c) && c.b == 1 && c.a == 0.5);
  g_assert_true(mprtc__parse_color("rgb(100% 0% 0% / 25%)", &c) && c.r == 1 && c.a == 0.25);
  g_assert_true(mprtc__parse_color("Transparent", &c) && c.a == 0);
  g_assert_true(mprtc__parse_color("steelblue", &c));
  g_assert_false(mprtc__parse_color("#12", &c));
  g_assert_false(mprtc__parse_color("rgb(1,2)", &c));
  g_assert_false(mprtc__parse_color("bluish", &c));
  mprtc__length l;
  g_assert_true(mprtc__parse_length("750rpx", 375, 600, 16, &l) && l.unit == MPRTC__LEN_PX && l.value == 375);
  g_assert_true(mprtc__parse_length("2em", 375, 600, 14, &l) && l.value == 28);
  g_assert_true(mprtc__parse_length("50%", 375, 600, 14, &l) && l.unit == MPRTC__LEN_PERCENT && l.value == 50);
  g_assert_true(mprtc__parse_length("10vh", 375, 600, 14, &l) && l.value == 60);
  g_assert_true(mprtc__parse_length("0", 375, 600, 14, &l) && l.unit == MPRTC__LEN_PX);
  g_assert_true(mprtc__parse_length("auto", 375, 600, 14, &l) && l.unit == MPRTC__LEN_AUTO);
  g_assert_false(mprtc__parse_length("10", 375, 600, 14, &l));
  g_assert_false(mprtc__parse_length("10pt", 375, 600, 14, &l));
  g_assert_false(mprtc__parse_length("px", 375, 600, 14, &l));
}

/* ---- sheets ---- */

static void test_sheet_parsing_and_recovery(void) {
  GHashTable *files = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(files, "common/base.wxss", ".base { color: red }");
  const char *text = "@import \"../../common/base.wxss\";\n"
                     "/* a comment */ .a, view > .b { color: blue; width: 10px !important }\n"
                     ".c { color red; height: ; margin: 1px }\n"
                     "@media (min-width: 100px) { .d { color: green } }\n"
                     ".e:hover { color: pink }\n"
                     "} .f { display: flex }\n"
                     "@import 'missing.wxss';\n"
                     ".g { color: blue";
  mprtc__wxss *s = mprtc__wxss_parse("pages/p/p.wxss", text, strlen(text), read_none, files);
  g_assert_cmpuint(s->rules->len, ==, 5); /* .base, .a/.b, .c, .f, .g */
  const mprtc__wxss_rule *base = s->rules->pdata[0];
  g_assert_cmpstr(base->file, ==, "common/base.wxss");
  const mprtc__wxss_rule *a = s->rules->pdata[1];
  g_assert_cmpuint(a->declarations->len, ==, 2);
  const mprtc__wxss_declaration *w = a->declarations->pdata[1];
  g_assert_cmpstr(w->property, ==, "width");
  g_assert_cmpstr(w->value, ==, "10px");
  g_assert_true(w->important);
  g_assert_cmpint(w->line, ==, 2);
  g_assert_cmpint(w->column, ==, 46);
  g_assert_cmpuint(((mprtc__wxss_rule *)s->rules->pdata[2])->declarations->len, ==, 1); /* margin */
  GString *all = g_string_new("");
  for (guint i = 0; i < s->warnings->len; i++) g_string_append_printf(all, "%s\n", (char *)s->warnings->pdata[i]);
  const char *expected[] = {
      "pages/p/p.wxss:3:6: 'color red' is not a declaration (property: value): ignored",
      "pages/p/p.wxss:3:17: 'height' has no value: ignored",
      "pages/p/p.wxss:4:1: @media is not supported: its rules are left out",
      "pages/p/p.wxss:5:1: bad selector '.e:hover': pseudo-classes and pseudo-elements are not supported: the rule is ignored",
      "pages/p/p.wxss:6:1: '}' closes nothing: ignored",
      "pages/p/p.wxss:7:1: @import 'missing.wxss': no file 'pages/p/missing.wxss'",
      "pages/p/p.wxss:8:4: '{' is not closed by '}'",
  };
  for (guint i = 0; i < G_N_ELEMENTS(expected); i++)
    if (!strstr(all->str, expected[i])) g_error("missing warning: %s\nin:\n%s", expected[i], all->str);
  g_assert_cmpuint(s->warnings->len, ==, G_N_ELEMENTS(expected));
  g_string_free(all, TRUE);
  mprtc__wxss_free(s);
  /* Not UTF-8: nothing of it. */
  s = mprtc__wxss_parse("x.wxss", "a { color: \xff }", 15, NULL, NULL);
  g_assert_cmpuint(s->rules->len, ==, 0);
  g_assert_cmpuint(s->warnings->len, ==, 1);
  mprtc__wxss_free(s);
  g_hash_table_unref(files);
}

/* ---- the cascade ---- */

static void test_cascade(void) {
  page *p = lay_out("<view id=\"a\" class=\"x y\" style=\"color: #00f; frob: 1\"><text id=\"t\">t</text></view>"
                    "<view id=\"b\" class=\"x\"/><view id=\"c\" hidden/><view id=\"d\" hidden class=\"shown\"/>",
                    "view { color: red; font-size: 20px } .x { color: green; width: 100rpx } .x.y { width: 200rpx }"
                    " #b { width: 10px } .x { width: 300rpx !important } .shown { display: flex } #a { line-height: 2 }",
                    "{}", 375);
  mprtc__vstate *a = by_id(p, "a"), *b = by_id(p, "b"), *t = by_id(p, "t");
  g_assert_cmpfloat(a->style.color.b, ==, 1);       /* style="" over the sheets */
  g_assert_cmpfloat(a->w, ==, 150);                 /* !important over specificity: 300rpx */
  g_assert_cmpfloat(b->w, ==, 150);
  g_assert_cmpfloat(t->style.font_size, ==, 20);    /* inherited */
  g_assert_cmpfloat(t->style.color.b, ==, 1);
  g_assert_cmpfloat(t->style.line_height, ==, -2);
  g_assert_false(by_id(p, "c")->shown);             /* hidden */
  g_assert_true(by_id(p, "d")->shown);              /* hidden loses to a sheet's display, as on the platform */
  /* One warning for the unknown property. */
  g_assert_cmpuint(p->cascade.warnings->len, ==, 1);
  g_assert_nonnull(strstr(p->cascade.warnings->pdata[0], "the property 'frob' is not supported"));
  page_free(p);
}

/* A disabled button looks disabled over a class's colours (the platform's button[disabled] rule),
 * but not over !important, and an enabled one keeps its class's. */
static void test_disabled_button(void) {
  page *p = lay_out("<button id=\"off\" class=\"red\" disabled>x</button><button id=\"on\" class=\"red\">x</button>"
                    "<button id=\"p\" type=\"primary\" disabled=\"{{true}}\">x</button>"
                    "<button id=\"forced\" class=\"forced\" disabled>x</button>",
                    ".red { background-color: #ff0000 } .forced { background-color: #0000ff !important }", "{}", 375);
  mprtc__vstate *off = by_id(p, "off"), *on = by_id(p, "on"), *primary = by_id(p, "p"), *forced = by_id(p, "forced");
  g_assert_cmpfloat(fabs(off->style.background.r - 0xf7 / 255.0), <, 0.001);
  g_assert_cmpfloat(off->style.color.a, <, 0.5);
  g_assert_cmpfloat(on->style.background.r, ==, 1);
  g_assert_cmpfloat(on->style.background.g, ==, 0);
  g_assert_cmpfloat(fabs(primary->style.background.g - 0xd9 / 255.0), <, 0.001);
  g_assert_cmpfloat(forced->style.background.b, ==, 1);
  page_free(p);
}

/* ---- block layout ---- */

static void test_block(void) {
  page *p = lay_out("<view id=\"outer\"><view id=\"a\"/><view id=\"b\"/><view id=\"c\"/></view>",
                    "#outer { padding: 10px; border: 2px solid #000; margin: 5px }"
                    "#a { height: 20px; margin: 3px 4px } #b { width: 50%; height: 10%; margin: 0 auto }"
                    "#c { width: 100px; height: 30px; box-sizing: border-box; padding: 10px; margin-left: auto }",
                    "{}", 400);
  /* outer: 5px margin, 390 wide; content at 17, 17, 366 wide. */
  assert_box(by_id(p, "a"), 21, 20, 358, 20);
  assert_box(by_id(p, "b"), 17 + 91.5, 43, 183, 0); /* % height of an auto-height container: auto */
  assert_box(by_id(p, "c"), 17 + 266, 43, 100, 30);
  assert_box(by_id(p, "outer"), 5, 5, 390, 2 + 10 + 26 + 0 + 30 + 10 + 2);
  page_free(p);
}

/* A colour function's spaces are inside one word of a shorthand. */
static void test_shorthand_words(void) {
  page *p = lay_out("<view id=\"a\"/><view id=\"b\"/>",
                    "#a { border-top: 1px solid rgba(0, 0, 0, 0.5); height: 10px }"
                    "#b { border: 2px solid rgb( 255 , 0 , 0 ); background: rgba(0, 0, 255, 0.25) no-repeat }",
                    "{}", 300);
  const mprtc__style *a = &by_id(p, "a")->style, *b = &by_id(p, "b")->style;
  g_assert_cmpfloat(a->border_width[0], ==, 1);
  g_assert_cmpfloat(a->border_width[2], ==, 0);
  g_assert_cmpfloat(a->border_color[0].a, ==, 0.5);
  for (int i = 0; i < 4; i++) g_assert_cmpfloat(b->border_width[i], ==, 2);
  g_assert_cmpfloat(b->border_color[1].r, ==, 1);
  g_assert_cmpfloat(b->background.b, ==, 1);
  g_assert_cmpfloat(b->background.a, ==, 0.25);
  page_free(p);
}

/* ---- flex layout ---- */

static void test_flex_row(void) {
  page *p = lay_out("<view id=\"bar\"><view id=\"a\"/><view id=\"b\"/><view id=\"c\"/></view>",
                    "#bar { display: flex; height: 50px; align-items: center; width: 300px }"
                    "#a { width: 100px; height: 20px } #b { flex: 1; height: 30px } #c { flex: 2; align-self: stretch }",
                    "{}", 375);
  assert_box(by_id(p, "a"), 0, 15, 100, 20);
  assert_box(by_id(p, "b"), 100, 10, 200 / 3.0, 30);
  assert_box(by_id(p, "c"), 100 + 200 / 3.0, 0, 400 / 3.0, 50);
  page_free(p);
  p = lay_out("<view id=\"bar\"><view id=\"a\"/><view id=\"b\"/></view>",
              "#bar { display: flex; justify-content: space-between; width: 200px }"
              "#a, #b { width: 50px; height: 10px } #b { height: 20px }",
              "{}", 375);
  assert_box(by_id(p, "a"), 0, 0, 50, 10); /* a definite height is not stretched */
  assert_box(by_id(p, "b"), 150, 0, 50, 20);
  assert_box(by_id(p, "bar"), 0, 0, 200, 20);
  page_free(p);
  /* Shrinking: 3 x 100px into 240px, by their bases. */
  p = lay_out("<view id=\"bar\"><view id=\"a\"/><view id=\"b\"/><view id=\"c\"/></view>",
              "#bar { display: flex; width: 240px; justify-content: center } view view { width: 100px; height: 5px }"
              "#c { flex-shrink: 0 }",
              "{}", 375);
  assert_box(by_id(p, "a"), 0, 0, 70, 5);
  assert_box(by_id(p, "b"), 70, 0, 70, 5);
  assert_box(by_id(p, "c"), 140, 0, 100, 5);
  page_free(p);
  p = lay_out("<view id=\"bar\"><view id=\"a\"/><view id=\"b\"/></view>",
              "#bar { display: flex; flex-direction: row-reverse; justify-content: space-around; width: 200px }"
              "#a, #b { width: 50px; height: 10px }",
              "{}", 375);
  assert_box(by_id(p, "b"), 25, 0, 50, 10);
  assert_box(by_id(p, "a"), 125, 0, 50, 10);
  page_free(p);
}

static void test_flex_column(void) {
  page *p = lay_out("<view id=\"col\"><view id=\"a\"/><view id=\"b\"/><view id=\"c\"/></view>",
                    "#col { display: flex; flex-direction: column; height: 300px; width: 200px; align-items: center }"
                    "#a { height: 50px; width: 20px } #b { flex: 1; width: 40px } #c { height: 50px; align-self: stretch }",
                    "{}", 375);
  assert_box(by_id(p, "a"), 90, 0, 20, 50);
  assert_box(by_id(p, "b"), 80, 50, 40, 200);
  assert_box(by_id(p, "c"), 0, 250, 200, 50);
  page_free(p);
  p = lay_out("<view id=\"col\"><view id=\"a\"/><view id=\"b\"/></view>",
              "#col { display: flex; flex-direction: column; justify-content: flex-end; height: 100px }"
              "#a { height: 10px } #b { height: 20px; margin: 5px }",
              "{}", 375);
  assert_box(by_id(p, "a"), 0, 60, 375, 10);
  assert_box(by_id(p, "b"), 5, 75, 365, 20);
  page_free(p);
}

/* ---- text ---- */

static void test_text(void) {
  page *p = lay_out("<view id=\"v\">Hello <text id=\"t\">world</text>, again</view>"
                    "<view id=\"narrow\">one two three four five six seven eight nine ten</view>"
                    "<view id=\"row\"><text id=\"x\">x</text><view id=\"fill\"/></view>",
                    "#v { font-size: 20px; line-height: 30px } #narrow { width: 60px; font-size: 10px; line-height: 1.5 }"
                    "#row { display: flex } #fill { flex: 1; height: 5px }",
                    "{}", 375);
  mprtc__vstate *v = by_id(p, "v"), *t = by_id(p, "t");
  g_assert_cmpfloat(v->h, ==, 30);
  g_assert_cmpfloat(t->y, ==, 0);
  g_assert_cmpfloat(t->h, ==, 30);
  g_assert_cmpfloat(t->x, >, 30);   /* after "Hello " */
  g_assert_cmpfloat(t->w, >, 30);
  g_assert_cmpfloat(t->x + t->w, <, 200);
  mprtc__vstate *narrow = by_id(p, "narrow");
  g_assert_cmpfloat(narrow->h, >=, 5 * 15); /* wrapped into lines of 15px */
  g_assert_cmpfloat(fmod(narrow->h, 15), ==, 0);
  /* A run in a flex row is an item of its own, as wide as its text. */
  mprtc__vstate *x = by_id(p, "x"), *fill = by_id(p, "fill");
  g_assert_cmpfloat(x->w, >, 5);
  g_assert_cmpfloat(x->h, >, 5);
  g_assert_cmpfloat(fill->x, ==, x->x + x->w);
  g_assert_cmpfloat(fill->x + fill->w, ==, 375);
  page_free(p);
}

/* A second render reconciled with the first keeps the shaping of unchanged runs, and its boxes
 * are the same. */
static void test_relayout(void) {
  page *p = lay_out("<view id=\"row\"><text id=\"x\">{{label}}</text><view id=\"fill\"/></view>",
                    "#row { display: flex } #fill { flex: 1; height: 5px }", "{\"label\": \"same\"}", 375);
  mprtc__vstate before = *by_id(p, "x");
  json_t *data = json_loads("{\"label\": \"same\"}", 0, NULL);
  mprtc__vnode *again = mprtc__render(p->set, mprtc__wxml_set_load(p->set, "p.wxml", NULL), data);
  mprtc__vnode_reconcile(again, p->root);
  p->root = again;
  mprtc__layout_page(p->root, &p->cascade, 375, 600, NULL, NULL);
  mprtc__vstate *after = by_id(p, "x");
  g_assert_cmpfloat(before.w, >, 0);
  assert_box(after, before.x, before.y, before.w, before.h);
  json_decref(data);
  page_free(p);
}

/* A vertical scroll-view moves its content up by scroll-top, as far as there is content. */
static void test_scroll_view(void) {
  const char *wxml = "<scroll-view id=\"sv\" scroll-y=\"{{y}}\" scroll-top=\"{{top}}\" style=\"height: 100px\">"
                     "<view id=\"a\" style=\"height: 120px\"/><view id=\"b\" style=\"height: 180px\"/></scroll-view>";
  struct { const char *data; double a_y; } cases[] = {
      {"{\"y\": true, \"top\": 50}", -50},     {"{\"y\": true, \"top\": \"80px\"}", -80},
      {"{\"y\": true, \"top\": 1000}", -200},  /* no further than the content */
      {"{\"y\": true, \"top\": -5}", 0},       {"{\"y\": false, \"top\": 50}", 0}, /* not scroll-y */
      {"{\"y\": true, \"top\": \"375rpx\"}", -187.5},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    page *p = lay_out(wxml, "", cases[i].data, 375);
    assert_box(by_id(p, "sv"), 0, 0, 375, 100);
    assert_box(by_id(p, "a"), 0, cases[i].a_y, 375, 120);
    assert_box(by_id(p, "b"), 0, cases[i].a_y + 120, 375, 180);
    page_free(p);
  }
}

/* Re-renders p over data_json, reconciled and laid out incrementally. */
static void update(page *p, const char *data_json) {
  json_t *data = json_loads(data_json, 0, NULL);
  mprtc__vnode *again = mprtc__render(p->set, mprtc__wxml_set_load(p->set, "p.wxml", NULL), data);
  mprtc__vnode_reconcile(again, p->root);
  p->root = again;
  p->height = mprtc__layout_page(p->root, &p->cascade, 375, 600, NULL, NULL);
  json_decref(data);
}

/* Every element's box in document order, to compare layouts. */
static void collect_boxes(mprtc__vnode *n, GArray *out) {
  if (!n->tag) return;
  const mprtc__vstate *st = n->state;
  double b[5] = {st->x, st->y, st->w, st->h, st->shown};
  g_array_append_vals(out, b, 5);
  for (guint i = 0; i < n->children->len; i++) collect_boxes(n->children->pdata[i], out);
}

/* An incremental layout (unchanged subtrees moved, not laid out again) gives the boxes a layout
 * from scratch gives, through text growing, rows coming and going, a class changing the style
 * of what is below it, and an element hidden and shown. */
static void test_incremental_equals_full(void) {
  const char *wxml = "<view class=\"{{big ? 'big' : ''}}\">"
                     "<view wx:for=\"{{rows}}\" wx:key=\"id\" class=\"row\"><text>{{item.name}}</text>"
                     "<text class=\"v\">{{item.v}}</text></view>"
                     "<view id=\"tail\" hidden=\"{{hide}}\">tail {{n}}</view></view>";
  const char *wxss = ".row { display: flex; justify-content: space-between; padding: 2px } .big .row { padding: 9px }"
                     ".big .v { font-size: 30px }";
  const char *steps[] = {
      "{\"rows\": [{\"id\": 1, \"name\": \"a\", \"v\": 1}, {\"id\": 2, \"name\": \"b\", \"v\": 2},"
      " {\"id\": 3, \"name\": \"c\", \"v\": 3}], \"n\": 0}",
      "{\"rows\": [{\"id\": 1, \"name\": \"a\", \"v\": 1}, {\"id\": 2, \"name\": \"a much longer name that wraps"
      " onto a second line of the row for sure, it is so long\", \"v\": 2}, {\"id\": 3, \"name\": \"c\", \"v\": 3}],"
      " \"n\": 1}",
      "{\"rows\": [{\"id\": 3, \"name\": \"c\", \"v\": 3}, {\"id\": 1, \"name\": \"a\", \"v\": 1}], \"n\": 2}",
      "{\"rows\": [{\"id\": 3, \"name\": \"c\", \"v\": 3}, {\"id\": 1, \"name\": \"a\", \"v\": 1}], \"n\": 2,"
      " \"big\": true}",
      "{\"rows\": [{\"id\": 3, \"name\": \"c\", \"v\": 3}], \"n\": 2, \"big\": true, \"hide\": true}",
      "{\"rows\": [{\"id\": 3, \"name\": \"c\", \"v\": 3}, {\"id\": 4, \"name\": \"d\", \"v\": 4}], \"n\": 3}",
  };
  page *p = lay_out(wxml, wxss, steps[0], 375);
  for (guint k = 1; k < G_N_ELEMENTS(steps); k++) {
    update(p, steps[k]);
    page *fresh = lay_out(wxml, wxss, steps[k], 375);
    GArray *a = g_array_new(FALSE, FALSE, sizeof(double)), *b = g_array_new(FALSE, FALSE, sizeof(double));
    collect_boxes(p->root, a);
    collect_boxes(fresh->root, b);
    g_assert_cmpuint(a->len, ==, b->len);
    for (guint i = 0; i < a->len; i++)
      if (fabs(g_array_index(a, double, i) - g_array_index(b, double, i)) > 0.001)
        g_error("step %u, box value %u: %g incrementally, %g from scratch", k, i, g_array_index(a, double, i),
                g_array_index(b, double, i));
    g_assert_cmpfloat(p->height, ==, fresh->height);
    g_array_unref(a);
    g_array_unref(b);
    page_free(fresh);
  }
  page_free(p);
}

/* The tree as text: tags, attributes and text, for comparing renders. */
static void tree_text(const mprtc__vnode *n, GString *out) {
  if (!n->tag) {
    g_string_append_printf(out, "\"%s\"", n->text);
    return;
  }
  char *attrs = json_dumps(n->attrs, JSON_COMPACT | JSON_SORT_KEYS);
  g_string_append_printf(out, "<%s %s>", n->tag, attrs);
  free(attrs);
  for (guint i = 0; i < n->children->len; i++) tree_text(n->children->pdata[i], out);
  g_string_append_printf(out, "</%s>", n->tag);
}

/* setData then a render that reuses the wx:for items that did not change gives the tree a
 * render from scratch gives: for changes of an item, of a name the items read besides their
 * item, of an outer item an inner loop reads, of positions (index), and under a template. */
static void test_render_update_equals_full(void) {
  const char *wxml =
      "<template name=\"t\"><text>{{label}}</text></template>"
      "<view wx:for=\"{{rows}}\" wx:key=\"id\" id=\"r{{item.id}}\">{{index}}:{{item.name}}{{suffix}}"
      "<text wx:for=\"{{item.tags}}\" wx:for-item=\"tag\">{{tag}}-{{item.name}}</text>"
      "<template is=\"t\" data=\"{{label: title}}\"/></view>";
  page *p = lay_out(wxml, "", "{}", 375);
  const mprtc__wxml *w = mprtc__wxml_set_load(p->set, "p.wxml", NULL);
  json_t *data = json_loads("{\"rows\": [{\"id\": 1, \"name\": \"a\", \"tags\": [\"x\", \"y\"]},"
                            " {\"id\": 2, \"name\": \"b\", \"tags\": [\"z\"]}], \"suffix\": \"!\", \"title\": \"T\"}",
                            0, NULL);
  mprtc__page *pg = mprtc__page_new(1, "p", NULL, data, NULL, w, mprtc__wxss_parse("e.wxss", "", 0, read_none, NULL));
  json_decref(data);
  mprtc__page_render(pg, p->set);
  /* Each step: one update, [segments, value]. */
  const char *steps[] = {
      "[[\"rows\", 1, \"name\"], \"B\"]",         /* one item */
      "[[\"suffix\"], \"?\"]",                       /* a name every item reads */
      "[[\"rows\", 0, \"name\"], \"A\"]",         /* an outer item the inner loop reads */
      "[[\"title\"], \"U\"]",                        /* only a template reads it */
      "[[\"rows\"], [{\"id\": 2, \"name\": \"B\", \"tags\": [\"z\"]}, {\"id\": 1, \"name\": \"A\","
      " \"tags\": [\"x\", \"y\"]}]]",                 /* swapped: the index changes */
      "[[\"rows\", 0, \"tags\", 1], \"w\"]",        /* deep in an item */
  };
  for (guint k = 0; k < G_N_ELEMENTS(steps); k++) {
    json_t *u = json_loads(steps[k], 0, NULL);
    char *error = NULL;
    g_assert_true(mprtc__page_apply(pg, json_array_get(u, 0), json_array_get(u, 1), &error));
    json_decref(u);
    mprtc__page_render(pg, p->set);
    mprtc__vnode *fresh = mprtc__render(p->set, w, pg->data);
    GString *a = g_string_new(""), *b = g_string_new("");
    tree_text(pg->root, a);
    tree_text(fresh, b);
    if (strcmp(a->str, b->str) != 0) g_error("step %u:\n%s\nnot\n%s", k, a->str, b->str);
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    mprtc__vnode_free(fresh);
  }
  mprtc__page_free(pg);
  page_free(p);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/style/values", test_colors_and_lengths);
  g_test_add_func("/style/sheets", test_sheet_parsing_and_recovery);
  g_test_add_func("/style/cascade", test_cascade);
  g_test_add_func("/style/disabled-button", test_disabled_button);
  g_test_add_func("/layout/block", test_block);
  g_test_add_func("/style/shorthand-words", test_shorthand_words);
  g_test_add_func("/layout/flex-row", test_flex_row);
  g_test_add_func("/layout/flex-column", test_flex_column);
  g_test_add_func("/layout/text", test_text);
  g_test_add_func("/layout/relayout", test_relayout);
  g_test_add_func("/layout/incremental", test_incremental_equals_full);
  g_test_add_func("/layout/scroll-view", test_scroll_view);
  g_test_add_func("/page/render-update", test_render_update_equals_full);
  return g_test_run();
}
