/* Unit tests of the WXML parser (src/view/wxml.c) and of rendering and reconciliation
 * (src/view/render.c): the platform's directives, templates, imports and includes, events and
 * datasets, and every malformed input with its file:line:column. */
#include <glib.h>
#include <string.h>

#include "view/render.h"

/* ---- a package of WXML files in memory ---- */

static char *read_file(const char *path, size_t *len, char **error, void *data) {
  const char *text = g_hash_table_lookup(data, path);
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
  const mprtc__wxml *page;
  char *error;
} fixture;

/* Files as (path, text) pairs, NULL-terminated; the first is the page. */
static void load(fixture *f, const char *first, ...) {
  f->files = g_hash_table_new(g_str_hash, g_str_equal);
  va_list ap;
  va_start(ap, first);
  for (const char *path = first; path; path = va_arg(ap, const char *)) g_hash_table_insert(f->files, (char *)path, va_arg(ap, char *));
  va_end(ap);
  f->set = mprtc__wxml_set_new(read_file, f->files);
  f->error = NULL;
  f->page = mprtc__wxml_set_load(f->set, first, &f->error);
}

static void done(fixture *f) {
  mprtc__wxml_set_free(f->set);
  g_hash_table_unref(f->files);
  g_free(f->error);
}

/* The tree as compact text: <tag a=1 b="x">children</tag>, text as itself. */
static void print(GString *out, const mprtc__vnode *n) {
  if (!n->tag) {
    g_string_append(out, n->text);
    return;
  }
  g_string_append_printf(out, "<%s", n->tag);
  const char *k;
  json_t *v;
  json_object_foreach(n->attrs, k, v) {
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    g_string_append_printf(out, " %s=%s", k, s);
    free(s);
  }
  if (json_object_size(n->dataset)) {
    char *s = json_dumps(n->dataset, JSON_COMPACT | JSON_SORT_KEYS);
    g_string_append_printf(out, " dataset=%s", s);
    free(s);
  }
  for (guint i = 0; i < n->events->len; i++) {
    const mprtc__vevent *e = n->events->pdata[i];
    g_string_append_printf(out, " %s:%s=%s", e->catch_ ? "catch" : "bind", e->type, e->handler);
  }
  g_string_append_c(out, '>');
  for (guint i = 0; i < n->children->len; i++) print(out, n->children->pdata[i]);
  g_string_append_printf(out, "</%s>", n->tag);
}

static char *render_text(fixture *f, const char *data_json) {
  g_assert_nonnull(f->page);
  json_t *data = json_loads(data_json, 0, NULL);
  g_assert_nonnull(data);
  mprtc__vnode *root = mprtc__render(f->set, f->page, data);
  GString *out = g_string_new("");
  for (guint i = 0; i < root->children->len; i++) print(out, root->children->pdata[i]);
  mprtc__vnode_free(root);
  json_decref(data);
  return g_string_free(out, FALSE);
}

static void expect(const char *wxml, const char *data, const char *tree) {
  fixture f;
  load(&f, "pages/p/p.wxml", wxml, NULL);
  if (!f.page) g_error("did not parse: %s", f.error);
  char *got = render_text(&f, data);
  if (strcmp(got, tree) != 0) g_error("%s\nover %s\nrendered %s\nnot      %s", wxml, data, got, tree);
  g_free(got);
  done(&f);
}

static void expect_error(const char *wxml, const char *error) {
  fixture f;
  load(&f, "pages/p/p.wxml", wxml, NULL);
  if (f.page) g_error("%s parsed", wxml);
  if (strcmp(f.error, error) != 0) g_error("%s\ngave  %s\nnot   %s", wxml, f.error, error);
  done(&f);
}

/* ---- the cases ---- */

static void test_elements_and_text(void) {
  expect("<view class=\"a\" id='b'>hi <text>there</text></view>", "{}",
         "<view class=\"a\" id=\"b\">hi <text>there</text></view>");
  expect("<view>\n  <input/>\n  <!-- a comment -->\n</view>", "{}", "<view><input></input></view>");
  expect("<view>&lt;a&gt; &amp; &quot;q&quot; &#65;&#x42; &unknown;</view>", "{}",
         "<view><a> & \"q\" AB &unknown;</view>");
  expect("<button disabled>x</button>", "{}", "<button disabled=true>x</button>");
  expect("<text> </text>", "{}", "<text> </text>");
}

static void test_bindings(void) {
  expect("<view>{{a}} + {{b}} = {{a + b}}</view>", "{\"a\": 1, \"b\": 2}", "<view>1 + 2 = 3</view>");
  /* One binding alone keeps its type; with text around it, it is text. */
  expect("<view n=\"{{a}}\" s=\"x{{a}}\" o=\"{{ {k: a} }}\" u=\"{{missing}}\" z=\"{{nothing}} \"/>", "{\"a\": 1, \"nothing\": null}",
         "<view n=1 s=\"x1\" o={\"k\":1} z=\" \"></view>");
  expect("<view>{{list[1].name}} {{obj.deep.er}}</view>", "{\"list\": [{}, {\"name\": \"two\"}], \"obj\": {}}", "<view>two </view>");
  expect("<view>{{a < b ? 'less' : 'more'}}</view>", "{\"a\": 1, \"b\": 2}", "<view>less</view>");
  expect("<view>{{ {a: {b: 1}}.a.b }}</view>", "{}", "<view>1</view>");
}

static void test_conditions(void) {
  const char *wxml = "<view wx:if=\"{{n > 1}}\">big</view><view wx:elif=\"{{n == 1}}\">one</view>"
                     "<view wx:else>none</view><text wx:if=\"{{n}}\">t</text>";
  expect(wxml, "{\"n\": 5}", "<view>big</view><text>t</text>");
  expect(wxml, "{\"n\": 1}", "<view>one</view><text>t</text>");
  expect(wxml, "{\"n\": 0}", "<view>none</view>");
  /* A new wx:if starts a new chain. */
  expect("<a wx:if=\"{{1}}\"/><b wx:else/><c wx:if=\"{{0}}\"/><d wx:else/>", "{}", "<a></a><d></d>");
  expect("<block wx:if=\"{{show}}\"><a/><b/></block>", "{\"show\": true}", "<a></a><b></b>");
  expect("<view hidden=\"{{h}}\"/>", "{\"h\": true}", "<view hidden=true></view>");
}

static void test_lists(void) {
  expect("<view wx:for=\"{{list}}\">{{index}}:{{item}}</view>", "{\"list\": [\"a\", \"b\"]}",
         "<view>0:a</view><view>1:b</view>");
  expect("<view wx:for=\"{{list}}\" wx:for-item=\"row\" wx:for-index=\"i\" wx:key=\"id\">{{i}}{{row.id}}</view>",
         "{\"list\": [{\"id\": \"x\"}, {\"id\": \"y\"}]}", "<view>0x</view><view>1y</view>");
  expect("<view wx:for=\"{{obj}}\">{{index}}={{item}};</view>", "{\"obj\": {\"k\": 1, \"l\": 2}}",
         "<view>k=1;</view><view>l=2;</view>");
  expect("<view wx:for=\"{{3}}\">{{item}}</view>", "{}", "<view>0</view><view>1</view><view>2</view>");
  expect("<view wx:for=\"ab\">{{item}}</view>", "{}", "<view>a</view><view>b</view>");
  expect("<view wx:for=\"{{missing}}\">x</view>", "{}", "");
  /* wx:for before wx:if, per item. */
  expect("<view wx:for=\"{{[1,2,3,4]}}\" wx:if=\"{{item % 2}}\">{{item}}</view>", "{}", "<view>1</view><view>3</view>");
  /* Nested, with the outer item in reach. */
  expect("<block wx:for=\"{{rows}}\" wx:for-item=\"r\"><view wx:for=\"{{r.cells}}\">{{r.n}}{{item}}</view></block>",
         "{\"rows\": [{\"n\": \"a\", \"cells\": [1, 2]}, {\"n\": \"b\", \"cells\": [3]}]}",
         "<view>a1</view><view>a2</view><view>b3</view>");
}

static void test_events_and_dataset(void) {
  expect("<view bindtap=\"onTap\" catch:touchstart=\"stop\" bind:input=\"{{h}}\" data-row-id=\"{{7}}\" data-Name=\"n\"/>",
         "{\"h\": \"dyn\"}",
         "<view dataset={\"name\":\"n\",\"rowId\":7} bind:tap=onTap catch:touchstart=stop bind:input=dyn></view>");
  expect("<button catchtap=\"go\" capture-bind:tap=\"cap\"/>", "{}", "<button catch:tap=go bind:tap=cap></button>");
}

static void test_templates(void) {
  expect("<template name=\"row\"><view>{{label}}:{{value}}{{outer}}</view></template>"
         "<template is=\"row\" data=\"{{label: 'a', value: v}}\"/><template is=\"{{which}}\" data=\"{{...obj}}\"/>",
         "{\"v\": 1, \"which\": \"row\", \"obj\": {\"label\": \"b\", \"value\": 2}, \"outer\": \"X\"}",
         "<view>a:1</view><view>b:2</view>");
  fixture f;
  load(&f, "pages/p/p.wxml",
       "<import src=\"../../common/rows.wxml\"/><include src=\"/common/header\"/>"
       "<template is=\"row\" data=\"{{n: 1}}\"/><template is=\"hidden\"/>",
       "common/rows.wxml", "<import src=\"deeper.wxml\"/><template name=\"row\"><text>row {{n}}</text></template>",
       "common/deeper.wxml", "<template name=\"hidden\"><text>deep</text></template>",
       "common/header.wxml", "<template name=\"not-included\"/><view class=\"header\">{{title}}</view>", NULL);
  g_assert_null(f.error);
  char *got = render_text(&f, "{\"title\": \"T\"}");
  /* The import of an import is not in reach, nor are an included file's templates. */
  g_assert_cmpstr(got, ==, "<view class=\"header\">T</view><text>row 1</text>");
  g_free(got);
  GPtrArray *warnings = mprtc__wxml_set_take_warnings(f.set);
  g_assert_cmpuint(warnings->len, ==, 1);
  g_assert_cmpstr(warnings->pdata[0], ==,
                  "pages/p/p.wxml:1:106: there is no template 'hidden' here (define it, or <import> its file)");
  g_ptr_array_unref(warnings);
  done(&f);
}

static void test_link_errors(void) {
  fixture f;
  load(&f, "p.wxml", "<view/>\n  <include src=\"missing.wxml\"/>", NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:2:3: cannot include 'missing.wxml': no file 'missing.wxml'");
  done(&f);
  load(&f, "p.wxml", "<include src=\"a.wxml\"/>", "a.wxml", "<view>\n<include src=\"p.wxml\"/></view>", NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:1:1: cannot include 'a.wxml': a.wxml:2:1: 'p.wxml' includes itself");
  done(&f);
  load(&f, "p.wxml", "<import src=\"../../etc/passwd\"/>", NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:1:1: '../../etc/passwd' is outside the package");
  done(&f);
  load(&f, "p.wxml", "<import src=\"{{x}}\"/>", NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:1:1: needs src=\"<file>.wxml\", without {{ }}");
  done(&f);
  load(&f, "p.wxml", "<include src=\"b.wxml\"/>", "b.wxml", "<view>\n  <view></text>\n</view>", NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:1:1: cannot include 'b.wxml': b.wxml:2:9: </text> does not close <view> (line 2, column 3)");
  done(&f);
  /* Imports may go round: each file's own templates are found. */
  load(&f, "p.wxml", "<import src=\"a\"/><template is=\"a\"/>", "a.wxml",
       "<import src=\"p\"/><template name=\"a\">A</template>", NULL);
  g_assert_null(f.error);
  char *got = render_text(&f, "{}");
  g_assert_cmpstr(got, ==, "A");
  g_free(got);
  done(&f);
}

static void test_syntax_errors(void) {
  expect_error("<view>", "pages/p/p.wxml:1:7: <view> (line 1, column 1) is not closed");
  expect_error("<view>\n  <text>x</view>", "pages/p/p.wxml:2:10: </view> does not close <text> (line 2, column 3)");
  expect_error("</view>", "pages/p/p.wxml:1:1: </view> closes nothing");
  expect_error("<view class=\"a>", "pages/p/p.wxml:1:13: the value of 'class' is not closed by \"");
  expect_error("<view>{{a +}}</view>", "pages/p/p.wxml:1:12: bad binding {{a +}}: an expression was expected");
  expect_error("<view>\n {{ a </view>", "pages/p/p.wxml:2:2: '{{' is not closed by '}}'");
  expect_error("<view wx:elif=\"{{a}}\"/>", "pages/p/p.wxml:1:1: wx:elif without a wx:if or wx:elif just before it");
  expect_error("<a/><view wx:else/>", "pages/p/p.wxml:1:5: wx:else without a wx:if or wx:elif just before it");
  expect_error("<view wx:if/>", "pages/p/p.wxml:1:7: wx:if needs a value");
  expect_error("<view wx:for=\"{{l}}\" wx:for-item=\"{{x}}\"/>", "pages/p/p.wxml:1:22: wx:for-item needs a name, without {{ }}");
  expect_error("<view a=\"1\"b=\"2\"/>", "pages/p/p.wxml:1:12: a space was expected between attributes");
  expect_error("<view\n  =x/>", "pages/p/p.wxml:2:3: unexpected '=' in the tag <view>");
  expect_error("< view/>", "pages/p/p.wxml:1:1: a tag name was expected after '<'");
  expect_error("<!-- open", "pages/p/p.wxml:1:1: the comment is not closed by -->");
  expect_error("<view>\xff</view>", "pages/p/p.wxml:1:7: the file is not valid UTF-8 here");
  expect_error("<view f=\"{{a(1)}}\"/>", "pages/p/p.wxml:1:13: bad binding {{a(1)}}: function calls are not allowed in a binding");
  GString *deep = g_string_new("");
  for (int i = 0; i < 300; i++) g_string_append(deep, "<view>");
  fixture f;
  load(&f, "p.wxml", deep->str, NULL);
  g_assert_cmpstr(f.error, ==, "p.wxml:1:1537: elements nest deeper than 256");
  done(&f);
  g_string_free(deep, TRUE);
}

static void test_warnings(void) {
  fixture f;
  load(&f, "p.wxml", "<view a=\"1\" a=\"2\" wx:frob=\"x\"/>\n<wxs module=\"m\">var x = '</view>';</wxs>"
                     "<marquee>1</marquee><marquee>2</marquee>", NULL);
  g_assert_null(f.error);
  GPtrArray *w = mprtc__wxml_set_take_warnings(f.set);
  g_assert_cmpuint(w->len, ==, 4);
  g_assert_cmpstr(w->pdata[0], ==, "p.wxml:1:13: the attribute 'a' is given twice: the last one counts");
  g_assert_cmpstr(w->pdata[1], ==, "p.wxml:1:19: unknown directive 'wx:frob' ignored");
  g_assert_cmpstr(w->pdata[2], ==, "p.wxml:2:1: <wxs> is not supported: its module is left out");
  /* One warning per unknown element, however often it is used. */
  g_assert_cmpstr(w->pdata[3], ==, "p.wxml:2:41: unknown element <marquee> is drawn as a <view>");
  g_ptr_array_unref(w);
  char *got = render_text(&f, "{}");
  g_assert_cmpstr(got, ==, "<view a=\"2\"></view><marquee>1</marquee><marquee>2</marquee>");
  g_free(got);
  done(&f);
  load(&f, "p.wxml", "<view wx:for=\"{{l}}\" wx:key=\"id\">{{item.id}}</view>", NULL);
  got = render_text(&f, "{\"l\": [{\"id\": 1}, {\"id\": 1}, {}]}");
  g_assert_cmpstr(got, ==, "<view>1</view><view>1</view><view></view>");
  g_free(got);
  w = mprtc__wxml_set_take_warnings(f.set);
  g_assert_cmpuint(w->len, ==, 2);
  g_assert_cmpstr(w->pdata[0], ==, "p.wxml:1:1: wx:key \"id\" is duplicated for item 1: items are matched by position");
  g_ptr_array_unref(w);
  done(&f);
}

/* ---- reconciliation ---- */

static mprtc__vnode *find_text(mprtc__vnode *n, const char *text) {
  if (!n->tag) return strcmp(n->text, text) == 0 ? n : NULL;
  for (guint i = 0; i < n->children->len; i++) {
    mprtc__vnode *found = find_text(n->children->pdata[i], text);
    if (found) return found->parent == n && !found->tag ? n : found;
  }
  return NULL;
}

static void test_reconcile(void) {
  fixture f;
  load(&f, "p.wxml", "<view class=\"title\">{{title}}</view><view wx:for=\"{{rows}}\" wx:key=\"id\">{{item.name}}</view>", NULL);
  json_t *data = json_loads("{\"title\": \"T\", \"rows\": [{\"id\": 1, \"name\": \"one\"}, {\"id\": 2, \"name\": \"two\"}]}", 0, NULL);
  mprtc__vnode *old = mprtc__render(f.set, f.page, data);
  g_assert_cmpuint(mprtc__vnode_reconcile(old, NULL), ==, 7); /* the root, 3 views, 3 texts */
  /* State on each row: it follows the row's key, not its place. */
  mprtc__vnode *one = find_text(old, "one"), *two = find_text(old, "two");
  one->state = g_strdup("state of 1");
  one->state_free = g_free;
  two->state = g_strdup("state of 2");
  two->state_free = g_free;
  /* The same data: nothing changes. */
  mprtc__vnode *same = mprtc__render(f.set, f.page, data);
  g_assert_cmpuint(mprtc__vnode_reconcile(same, old), ==, 0);
  /* Rows swapped and one renamed: the states follow the keys. */
  json_object_set_new(data, "rows", json_loads("[{\"id\": 2, \"name\": \"two\"}, {\"id\": 1, \"name\": \"uno\"}]", 0, NULL));
  mprtc__vnode *swapped = mprtc__render(f.set, f.page, data);
  guint changes = mprtc__vnode_reconcile(swapped, same);
  g_assert_cmpuint(changes, >, 0);
  g_assert_cmpstr(find_text(swapped, "uno")->state, ==, "state of 1");
  g_assert_cmpstr(find_text(swapped, "two")->state, ==, "state of 2");
  g_assert_cmpint(find_text(swapped, "two")->change, ==, MPRTC__VNODE_SAME);
  /* A row removed: its state is freed with the old tree. */
  json_object_set_new(data, "rows", json_loads("[{\"id\": 1, \"name\": \"uno\"}]", 0, NULL));
  mprtc__vnode *fewer = mprtc__render(f.set, f.page, data);
  mprtc__vnode_reconcile(fewer, swapped);
  g_assert_cmpstr(find_text(fewer, "uno")->state, ==, "state of 1");
  g_assert_null(find_text(fewer, "two"));
  /* The title changes: only its text node is marked. */
  json_object_set_new(data, "title", json_string("U"));
  mprtc__vnode *retitled = mprtc__render(f.set, f.page, data);
  g_assert_cmpuint(mprtc__vnode_reconcile(retitled, fewer), ==, 1);
  mprtc__vnode_free(retitled);
  json_decref(data);
  done(&f);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/wxml/elements", test_elements_and_text);
  g_test_add_func("/wxml/bindings", test_bindings);
  g_test_add_func("/wxml/conditions", test_conditions);
  g_test_add_func("/wxml/lists", test_lists);
  g_test_add_func("/wxml/events", test_events_and_dataset);
  g_test_add_func("/wxml/templates", test_templates);
  g_test_add_func("/wxml/link-errors", test_link_errors);
  g_test_add_func("/wxml/syntax-errors", test_syntax_errors);
  g_test_add_func("/wxml/warnings", test_warnings);
  g_test_add_func("/wxml/reconcile", test_reconcile);
  return g_test_run();
}
