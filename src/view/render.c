/* WXML over data into a vnode tree, and the reconciliation of two trees: see render.h. */
#include "view/render.h"

#include <string.h>

/* ---- the files ------------------------------------------------------------------------------- */

typedef struct file_entry file_entry;

typedef struct {
  const mprtc__wxml_node *node; /* <template name=...> */
  file_entry *file;             /* where it is defined: its content uses that file's templates */
} template_def;

struct file_entry {
  mprtc__wxml *wxml;
  GHashTable *templates; /* name -> template_def* (own and imported) */
  gboolean loading;      /* being loaded: including it again is a cycle */
};

struct mprtc__wxml_set {
  mprtc__wxml_read_fn read;
  void *read_data;
  GHashTable *files;     /* path -> file_entry* */
  GHashTable *targets;   /* <import>/<include> node -> file_entry* it names */
  GPtrArray *warnings;   /* char* */
  GHashTable *warned;    /* warnings given once: their text */
  GHashTable *names;     /* element node -> the names its bindings (and its children's) read, or
                            NULL when they cannot be known (a template call, an include) */
};

static void names_free(gpointer names) {
  if (names) g_hash_table_unref(names);
}

static void file_entry_free(gpointer data) {
  file_entry *f = data;
  mprtc__wxml_free(f->wxml);
  g_hash_table_unref(f->templates);
  g_free(f);
}

mprtc__wxml_set *mprtc__wxml_set_new(mprtc__wxml_read_fn read, void *data) {
  mprtc__wxml_set *set = g_new0(mprtc__wxml_set, 1);
  set->read = read;
  set->read_data = data;
  set->files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, file_entry_free);
  set->targets = g_hash_table_new(g_direct_hash, g_direct_equal);
  set->warnings = g_ptr_array_new_with_free_func(g_free);
  set->warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  set->names = g_hash_table_new_full(NULL, NULL, NULL, names_free);
  return set;
}

void mprtc__wxml_set_free(mprtc__wxml_set *set) {
  if (!set) return;
  g_hash_table_unref(set->targets);
  g_hash_table_unref(set->files);
  g_ptr_array_unref(set->warnings);
  g_hash_table_unref(set->warned);
  g_hash_table_unref(set->names);
  g_free(set);
}

GPtrArray *mprtc__wxml_set_take_warnings(mprtc__wxml_set *set) {
  GPtrArray *out = set->warnings;
  set->warnings = g_ptr_array_new_with_free_func(g_free);
  return out;
}

static void warn_once(mprtc__wxml_set *set, char *text) {
  if (g_hash_table_contains(set->warned, text)) {
    g_free(text);
    return;
  }
  g_hash_table_add(set->warned, g_strdup(text));
  g_ptr_array_add(set->warnings, text);
}

/* src of an <import>/<include> in file, as a path inside the package: relative to the file's
 * folder, or from the root with a leading '/'; ".wxml" added when it has no extension. NULL
 * when it climbs out of the package. */
static char *resolve_src(const char *file, const char *src) {
  char *dir = src[0] == '/' ? g_strdup("") : g_path_get_dirname(file);
  char *joined = g_build_filename(strcmp(dir, ".") == 0 ? "" : dir, src, NULL);
  g_free(dir);
  GPtrArray *parts = g_ptr_array_new();
  char **split = g_strsplit(joined, "/", -1);
  gboolean outside = FALSE;
  for (char **s = split; *s; s++) {
    if (**s == '\0' || strcmp(*s, ".") == 0) continue;
    if (strcmp(*s, "..") == 0) {
      if (parts->len == 0) outside = TRUE;
      else g_ptr_array_remove_index(parts, parts->len - 1);
      continue;
    }
    g_ptr_array_add(parts, *s);
  }
  g_ptr_array_add(parts, NULL);
  char *path = outside ? NULL : g_strjoinv("/", (char **)parts->pdata);
  g_ptr_array_free(parts, TRUE);
  g_strfreev(split);
  g_free(joined);
  if (path && !strchr(strrchr(path, '/') ? strrchr(path, '/') : path, '.')) {
    char *with = g_strconcat(path, ".wxml", NULL);
    g_free(path);
    path = with;
  }
  return path;
}

static file_entry *load(mprtc__wxml_set *set, const char *path, char **error);

static char *node_problem(const mprtc__wxml *w, const mprtc__wxml_node *n, const char *what) {
  return g_strdup_printf("%s:%d:%d: %s", w->file, n->line, n->column, what);
}

/* Walks the file's elements: its <template name> definitions, then its <import>s and
 * <include>s (loaded now). */
static gboolean scan(mprtc__wxml_set *set, file_entry *f, GPtrArray *nodes, gboolean templates, char **error) {
  for (guint i = 0; i < nodes->len; i++) {
    const mprtc__wxml_node *n = nodes->pdata[i];
    if (!n->tag) continue;
    gboolean is_template = strcmp(n->tag, "template") == 0;
    gboolean is_link = strcmp(n->tag, "import") == 0 || strcmp(n->tag, "include") == 0;
    if (templates && is_template) {
      const mprtc__wxml_attr *name = mprtc__wxml_attr_get(n, "name");
      const char *s = name && name->value ? mprtc__wxml_value_static(name->value) : NULL;
      if (name && (!s || !*s)) {
        *error = node_problem(f->wxml, n, "<template name> needs a name, without {{ }}");
        return FALSE;
      }
      if (s) {
        template_def *def = g_new(template_def, 1);
        def->node = n;
        def->file = f;
        g_hash_table_replace(f->templates, g_strdup(s), def);
      }
    }
    if (!templates && is_link) {
      const mprtc__wxml_attr *src = mprtc__wxml_attr_get(n, "src");
      const char *s = src && src->value ? mprtc__wxml_value_static(src->value) : NULL;
      if (!s || !*s) {
        *error = node_problem(f->wxml, n, "needs src=\"<file>.wxml\", without {{ }}");
        return FALSE;
      }
      char *path = resolve_src(f->wxml->file, s);
      if (!path) {
        char *what = g_strdup_printf("'%s' is outside the package", s);
        *error = node_problem(f->wxml, n, what);
        g_free(what);
        return FALSE;
      }
      file_entry *target = g_hash_table_lookup(set->files, path);
      if (target && target->loading && n->tag[1] == 'n') {
        char *what = g_strdup_printf("'%s' includes itself", path);
        *error = node_problem(f->wxml, n, what);
        g_free(what);
        g_free(path);
        return FALSE;
      }
      char *sub_error = NULL;
      if (!target) target = load(set, path, &sub_error);
      if (!target) {
        char *what = g_strdup_printf("cannot %s '%s': %s", n->tag, s, sub_error);
        *error = node_problem(f->wxml, n, what);
        g_free(what);
        g_free(sub_error);
        g_free(path);
        return FALSE;
      }
      g_free(path);
      g_hash_table_insert(set->targets, (gpointer)n, target);
      if (n->tag[1] == 'm') {
        /* The imported file's own templates (not what it imports in turn). */
        GHashTableIter it;
        gpointer key, value;
        g_hash_table_iter_init(&it, target->templates);
        while (g_hash_table_iter_next(&it, &key, &value)) {
          template_def *def = value;
          if (def->file != target || g_hash_table_contains(f->templates, key)) continue;
          template_def *copy = g_memdup2(def, sizeof *def);
          g_hash_table_insert(f->templates, g_strdup(key), copy);
        }
      }
    }
    if (!scan(set, f, n->children, templates, error)) return FALSE;
  }
  return TRUE;
}

static file_entry *load(mprtc__wxml_set *set, const char *path, char **error) {
  size_t len = 0;
  char *text = set->read(path, &len, error, set->read_data);
  if (!text) return NULL;
  mprtc__wxml *w = mprtc__wxml_parse(path, text, len, error);
  g_free(text);
  if (!w) return NULL;
  for (guint i = 0; i < w->warnings->len; i++) warn_once(set, g_strdup(w->warnings->pdata[i]));
  file_entry *f = g_new0(file_entry, 1);
  f->wxml = w;
  f->templates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  f->loading = TRUE;
  g_hash_table_insert(set->files, g_strdup(path), f);
  /* Own templates first: a file imported back by what it imports finds them there. */
  gboolean ok = scan(set, f, w->children, TRUE, error) && scan(set, f, w->children, FALSE, error);
  f->loading = FALSE;
  if (!ok) {
    g_hash_table_remove(set->files, path);
    return NULL;
  }
  return f;
}

const mprtc__wxml *mprtc__wxml_set_load(mprtc__wxml_set *set, const char *path, char **error) {
  file_entry *f = g_hash_table_lookup(set->files, path);
  if (!f) f = load(set, path, error);
  return f ? f->wxml : NULL;
}

/* ---- rendering ------------------------------------------------------------------------------- */

typedef struct {
  mprtc__wxml_set *set;
  file_entry *file;            /* whose templates are in reach */
  const mprtc__scope *scope;
  const char *key;             /* the for items and template calls this content sits in: part
                                  of each element's identity */
  GHashTable *reusable;        /* identity -> an element wx:for made in the previous render, or
                                  NULL: render everything */
  GHashTable *changed;         /* the data's top-level names that changed */
  const struct loop_names *loops; /* the item and index names of the wx:for items being rendered
                                     around here: they count as changed too */
} ctx;

struct loop_names {
  const char *item, *index;
  const struct loop_names *outer;
};

static void vevent_free(gpointer data) {
  mprtc__vevent *e = data;
  g_free(e->type);
  g_free(e->handler);
  g_free(e);
}

static mprtc__vnode *vnode_new(const char *tag, const mprtc__wxml_node *source, const char *key) {
  mprtc__vnode *v = g_new0(mprtc__vnode, 1);
  v->tag = g_strdup(tag);
  v->source = source;
  v->identity = g_strdup_printf("%p/%s", (const void *)source, key);
  if (tag) {
    v->attrs = json_object();
    v->dataset = json_object();
    v->events = g_ptr_array_new_with_free_func(vevent_free);
    v->children = g_ptr_array_new_with_free_func((GDestroyNotify)mprtc__vnode_free);
  }
  return v;
}

void mprtc__vnode_free(mprtc__vnode *n) {
  /* An element taken into the next render is that render's now. */
  if (!n || n->reused) return;
  if (n->state && n->state_free) n->state_free(n->state);
  g_free(n->tag);
  g_free(n->text);
  if (n->attrs) json_decref(n->attrs);
  if (n->dataset) json_decref(n->dataset);
  if (n->events) g_ptr_array_unref(n->events);
  if (n->children) g_ptr_array_unref(n->children);
  if (n->for_item) json_decref(n->for_item);
  if (n->for_index) json_decref(n->for_index);
  g_free(n->identity);
  g_free(n);
}

static void add_child(mprtc__vnode *parent, mprtc__vnode *child) {
  child->parent = parent;
  g_ptr_array_add(parent->children, child);
}

/* "data-foo-bar" -> "fooBar" (the name lower-cased first, as HTML attributes are). */
static char *dataset_name(const char *attr) {
  char *lower = g_ascii_strdown(attr + 5, -1);
  GString *out = g_string_new("");
  for (const char *c = lower; *c; c++) {
    if (*c == '-' && c[1]) {
      g_string_append_c(out, g_ascii_toupper(*++c));
    } else {
      g_string_append_c(out, *c);
    }
  }
  g_free(lower);
  return g_string_free(out, FALSE);
}

/* Whether attr names an event binding: bindtap, bind:tap, catchtap, catch:tap, and the
 * capture-/mut- forms (handled as bind and catch). */
static gboolean event_of(const char *attr, char **type, gboolean *catch_) {
  static const struct { const char *prefix; gboolean catch_; } forms[] = {
    {"capture-catch:", TRUE}, {"capture-bind:", FALSE}, {"mut-bind:", FALSE}, {"mut-bind", FALSE},
    {"bind:", FALSE}, {"catch:", TRUE}, {"bind", FALSE}, {"catch", TRUE},
  };
  for (guint i = 0; i < G_N_ELEMENTS(forms); i++) {
    if (g_str_has_prefix(attr, forms[i].prefix) && attr[strlen(forms[i].prefix)]) {
      *type = g_strdup(attr + strlen(forms[i].prefix));
      *catch_ = forms[i].catch_;
      return TRUE;
    }
  }
  return FALSE;
}

static void render_nodes(ctx *c, GPtrArray *nodes, mprtc__vnode *parent);

static void render_element(ctx *c, const mprtc__wxml_node *n, mprtc__vnode *parent) {
  mprtc__vnode *v = vnode_new(n->tag, n, c->key);
  for (guint i = 0; i < n->attrs->len; i++) {
    const mprtc__wxml_attr *a = n->attrs->pdata[i];
    json_t *value = a->value ? mprtc__wxml_value_eval(a->value, c->scope) : json_true();
    char *type = NULL;
    gboolean catch_ = FALSE;
    if (event_of(a->name, &type, &catch_)) {
      mprtc__vevent *e = g_new0(mprtc__vevent, 1);
      e->type = type;
      e->handler = mprtc__js_text_of(value);
      e->catch_ = catch_;
      g_ptr_array_add(v->events, e);
    } else if (g_str_has_prefix(a->name, "data-") && a->name[5]) {
      char *name = dataset_name(a->name);
      if (value) json_object_set(v->dataset, name, value);
      g_free(name);
    } else if (value) {
      json_object_set(v->attrs, a->name, value);
    }
    if (value) json_decref(value);
  }
  add_child(parent, v);
  /* The children sit in an element of their own: the key context starts afresh. */
  ctx inner = *c;
  inner.key = "";
  render_nodes(&inner, n->children, v);
}

static void render_template_call(ctx *c, const mprtc__wxml_node *n, mprtc__vnode *parent, const mprtc__wxml_attr *is) {
  json_t *name_value = is->value ? mprtc__wxml_value_eval(is->value, c->scope) : NULL;
  char *name = mprtc__js_text_of(name_value);
  if (name_value) json_decref(name_value);
  template_def *def = g_hash_table_lookup(c->file->templates, name);
  if (!def) {
    warn_once(c->set, g_strdup_printf("%s:%d:%d: there is no template '%s' here (define it, or <import> its file)",
                                      c->file->wxml->file, n->line, n->column, name));
    g_free(name);
    return;
  }
  g_free(name);
  /* A template sees its data and nothing else. */
  const mprtc__wxml_attr *data_attr = mprtc__wxml_attr_get(n, "data");
  json_t *data = data_attr && data_attr->value ? mprtc__wxml_value_eval(data_attr->value, c->scope) : NULL;
  if (!json_is_object(data)) {
    if (data) json_decref(data);
    data = json_object();
  }
  mprtc__scope scope = {data, NULL};
  char *key = g_strdup_printf("%st%p.", c->key, (const void *)n);
  ctx inner = {c->set, def->file, &scope, key, NULL, NULL, NULL}; /* what a template shows is rendered */
  render_nodes(&inner, def->node->children, parent);
  g_free(key);
  json_decref(data);
}

static void value_names(const mprtc__wxml_value *v, GHashTable *names) {
  for (guint i = 0; v && i < v->parts->len; i++) {
    const mprtc__wxml_part *part = v->parts->pdata[i];
    if (part->expr) mprtc__expr_names(part->expr, names);
  }
}

/* The names n's bindings and its descendants' read (n's own wx:for list aside when
 * with_list is FALSE: one item's element does not read it); FALSE when they cannot be known. */
static gboolean subtree_names(const mprtc__wxml_node *n, GHashTable *names, gboolean with_list) {
  if (!n->tag) {
    value_names(n->text, names);
    return TRUE;
  }
  if (strcmp(n->tag, "template") == 0 || strcmp(n->tag, "include") == 0) return FALSE;
  for (guint i = 0; i < n->attrs->len; i++) value_names(((const mprtc__wxml_attr *)n->attrs->pdata[i])->value, names);
  value_names(n->condition, names);
  if (with_list) value_names(n->for_list, names);
  for (guint i = 0; i < n->children->len; i++)
    if (!subtree_names(n->children->pdata[i], names, TRUE)) return FALSE;
  return TRUE;
}

/* Whether an element of n made for one item of a wx:for reads any changed name but the item's
 * and index's own. Conservative: an inner loop's names that are also data names count. */
static gboolean reads_changed(ctx *c, const mprtc__wxml_node *n) {
  GHashTable *names;
  if (!g_hash_table_lookup_extended(c->set->names, n, NULL, (gpointer *)&names)) {
    names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!subtree_names(n, names, FALSE)) {
      g_hash_table_unref(names);
      names = NULL;
    } else {
      g_hash_table_remove(names, n->for_item);
      g_hash_table_remove(names, n->for_index);
    }
    g_hash_table_insert(c->set->names, (gpointer)n, names);
  }
  if (!names) return TRUE;
  for (const struct loop_names *l = c->loops; l; l = l->outer)
    if (g_hash_table_contains(names, l->item) || g_hash_table_contains(names, l->index)) return TRUE;
  GHashTableIter it;
  gpointer name;
  g_hash_table_iter_init(&it, c->changed);
  while (g_hash_table_iter_next(&it, &name, NULL))
    if (g_hash_table_contains(names, name)) return TRUE;
  return FALSE;
}

/* Whether the elements n makes for its items may be taken from the previous render (when their
 * item and index are the same): n is an element, and its bindings read nothing that changed. */
static gboolean items_reusable(ctx *c, const mprtc__wxml_node *n) {
  return c->reusable && n->tag && strcmp(n->tag, "block") != 0 && strcmp(n->tag, "template") != 0 &&
         strcmp(n->tag, "include") != 0 && strcmp(n->tag, "import") != 0 && strcmp(n->tag, "wxs") != 0 &&
         !reads_changed(c, n);
}

/* The element of n for one item, taken whole from the previous render when it was made of the
 * same item and index (items_reusable(n) holds); NULL when it must be rendered. */
static mprtc__vnode *reuse_item(ctx *c, const mprtc__wxml_node *n, const char *key, const json_t *item,
                                const json_t *index) {
  char buf[256];
  char *identity = (size_t)g_snprintf(buf, sizeof buf, "%p/%s", (const void *)n, key) < sizeof buf
                       ? buf
                       : g_strdup_printf("%p/%s", (const void *)n, key);
  mprtc__vnode *old = g_hash_table_lookup(c->reusable, identity);
  if (identity != buf) g_free(identity);
  if (!old || !json_equal(old->for_item, (json_t *)item) || !json_equal(old->for_index, (json_t *)index)) return NULL;
  g_hash_table_remove(c->reusable, old->identity);
  old->reused = TRUE;
  return old;
}

/* n once, in the current scope: what it stands for added to parent. */
static void render_one(ctx *c, const mprtc__wxml_node *n, mprtc__vnode *parent) {
  if (!n->tag) {
    mprtc__vnode *v = vnode_new(NULL, n, c->key);
    json_t *value = mprtc__wxml_value_eval(n->text, c->scope);
    v->text = mprtc__js_text_of(value);
    if (value) json_decref(value);
    add_child(parent, v);
    return;
  }
  if (strcmp(n->tag, "block") == 0) {
    render_nodes(c, n->children, parent);
  } else if (strcmp(n->tag, "template") == 0) {
    const mprtc__wxml_attr *is = mprtc__wxml_attr_get(n, "is");
    if (is) render_template_call(c, n, parent, is);
  } else if (strcmp(n->tag, "include") == 0) {
    file_entry *target = g_hash_table_lookup(c->set->targets, n);
    if (!target) return;
    ctx inner = *c;
    inner.file = target;
    render_nodes(&inner, target->wxml->children, parent);
  } else if (strcmp(n->tag, "import") == 0 || strcmp(n->tag, "wxs") == 0) {
    /* Nothing to show. */
  } else {
    render_element(c, n, parent);
  }
}

/* The key of one item: wx:key's field of it, or the item itself for "*this". */
static char *item_key(const mprtc__wxml_node *n, const json_t *item) {
  json_t *k = strcmp(n->for_key, "*this") == 0 ? (json_t *)item : json_object_get(item, n->for_key);
  return k ? mprtc__js_string_of(k) : NULL;
}

/* n (when its wx:if holds) for each item of its wx:for. */
static void render_for(ctx *c, const mprtc__wxml_node *n, mprtc__vnode *parent) {
  json_t *list = mprtc__wxml_value_eval(n->for_list, c->scope);
  json_t *items = json_array(), *indexes = json_array();
  if (json_is_array(list)) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
      json_array_append(items, x);
      json_array_append_new(indexes, json_integer((json_int_t)i));
    }
  } else if (json_is_object(list)) {
    const char *k;
    json_t *x;
    json_object_foreach(list, k, x) {
      json_array_append(items, x);
      json_array_append_new(indexes, json_string(k));
    }
  } else if (json_is_string(list)) {
    const char *s = json_string_value(list);
    json_int_t i = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p), i++) {
      json_array_append_new(items, json_stringn(p, (size_t)(g_utf8_next_char(p) - p)));
      json_array_append_new(indexes, json_integer(i));
    }
  } else if (json_is_number(list)) {
    double count = json_number_value(list);
    for (json_int_t i = 0; i < count && i < 100000; i++) {
      json_array_append_new(items, json_integer(i));
      json_array_append_new(indexes, json_integer(i));
    }
  }
  GHashTable *seen = n->for_key ? g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) : NULL;
  gboolean reusable = items_reusable(c, n);
  for (size_t i = 0; i < json_array_size(items); i++) {
    json_t *item = json_array_get(items, i), *index = json_array_get(indexes, i);
    char *key = NULL, *item_k = n->for_key ? item_key(n, item) : NULL;
    if (item_k && g_hash_table_add(seen, item_k)) {
      key = g_strdup_printf("%sk%p=%s.", c->key, (const void *)n, item_k);
    } else {
      if (n->for_key)
        warn_once(c->set, g_strdup_printf("%s:%d:%d: wx:key \"%s\" is %s for item %zu: items are matched by position",
                                          c->file->wxml->file, n->line, n->column, n->for_key,
                                          item_k ? "duplicated" : "missing", i));
      key = g_strdup_printf("%si%p=%zu.", c->key, (const void *)n, i);
    }
    mprtc__vnode *kept = reusable ? reuse_item(c, n, key, item, index) : NULL;
    if (kept) {
      add_child(parent, kept);
      g_free(key);
      continue;
    }
    json_t *vars = json_object();
    json_object_set(vars, n->for_item, item);
    json_object_set(vars, n->for_index, index);
    mprtc__scope scope = {vars, c->scope};
    struct loop_names loop = {n->for_item, n->for_index, c->loops};
    ctx inner = {c->set, c->file, &scope, key, c->reusable, c->changed, &loop};
    gboolean shown = TRUE;
    if (n->branch == MPRTC__WXML_IF) {
      json_t *cond = mprtc__wxml_value_eval(n->condition, &scope);
      shown = mprtc__js_truthy(cond);
      if (cond) json_decref(cond);
    }
    guint before = parent->children->len;
    if (shown) render_one(&inner, n, parent);
    /* An element made for the item remembers what it was made of, for the next render. */
    if (parent->children->len == before + 1 && n->tag && strcmp(n->tag, "block") != 0) {
      mprtc__vnode *made = parent->children->pdata[before];
      made->for_item = json_incref(item);
      made->for_index = json_incref(index);
    }
    g_free(key);
    json_decref(vars);
  }
  if (seen) g_hash_table_unref(seen);
  json_decref(items);
  json_decref(indexes);
  if (list) json_decref(list);
}

static void render_nodes(ctx *c, GPtrArray *nodes, mprtc__vnode *parent) {
  gboolean chain_done = FALSE; /* a branch of the current wx:if chain was shown */
  for (guint i = 0; i < nodes->len; i++) {
    const mprtc__wxml_node *n = nodes->pdata[i];
    /* A template definition is not content. */
    if (n->tag && strcmp(n->tag, "template") == 0 && !mprtc__wxml_attr_get(n, "is")) continue;
    if (n->for_list) {
      render_for(c, n, parent);
      chain_done = FALSE;
      continue;
    }
    gboolean shown = TRUE;
    switch (n->branch) {
      case MPRTC__WXML_NO_BRANCH: chain_done = FALSE; break;
      case MPRTC__WXML_IF: chain_done = FALSE; /* fall through */
      case MPRTC__WXML_ELIF:
        if (chain_done) {
          shown = FALSE;
        } else {
          json_t *cond = mprtc__wxml_value_eval(n->condition, c->scope);
          shown = chain_done = mprtc__js_truthy(cond);
          if (cond) json_decref(cond);
        }
        break;
      case MPRTC__WXML_ELSE:
        shown = !chain_done;
        chain_done = TRUE;
        break;
    }
    if (shown) render_one(c, n, parent);
  }
}

/* The elements wx:for made in a previous render, by identity. */
static void index_items(mprtc__vnode *n, GHashTable *out) {
  if (!n->tag) return;
  if (n->for_item) g_hash_table_insert(out, n->identity, n);
  for (guint i = 0; i < n->children->len; i++) index_items(n->children->pdata[i], out);
}

mprtc__vnode *mprtc__render_update(mprtc__wxml_set *set, const mprtc__wxml *file, const json_t *data,
                                   mprtc__vnode *previous, GHashTable *changed) {
  file_entry *f = g_hash_table_lookup(set->files, file->file);
  g_return_val_if_fail(f && f->wxml == file, NULL);
  mprtc__scope scope = {data, NULL};
  ctx c = {set, f, &scope, "", NULL, changed, NULL};
  if (previous && changed) {
    c.reusable = g_hash_table_new(g_str_hash, g_str_equal);
    index_items(previous, c.reusable);
  }
  mprtc__vnode *root = vnode_new("page", NULL, "");
  render_nodes(&c, file->children, root);
  if (c.reusable) g_hash_table_unref(c.reusable);
  return root;
}

mprtc__vnode *mprtc__render(mprtc__wxml_set *set, const mprtc__wxml *file, const json_t *data) {
  return mprtc__render_update(set, file, data, NULL, NULL);
}

/* ---- reconciliation -------------------------------------------------------------------------- */

static gboolean events_equal(GPtrArray *a, GPtrArray *b) {
  if (a->len != b->len) return FALSE;
  for (guint i = 0; i < a->len; i++) {
    const mprtc__vevent *x = a->pdata[i], *y = b->pdata[i];
    if (strcmp(x->type, y->type) != 0 || strcmp(x->handler, y->handler) != 0 || x->catch_ != y->catch_) return FALSE;
  }
  return TRUE;
}

static guint mark_new(mprtc__vnode *n) {
  n->change = MPRTC__VNODE_NEW;
  n->children_changed = TRUE;
  guint count = 1;
  for (guint i = 0; n->children && i < n->children->len; i++) count += mark_new(n->children->pdata[i]);
  return count;
}

static guint reconcile(mprtc__vnode *fresh, mprtc__vnode *old);

/* A subtree taken whole from the previous render: nothing in it changed. */
static void mark_same(mprtc__vnode *n) {
  n->change = MPRTC__VNODE_SAME;
  n->children_changed = FALSE;
  for (guint i = 0; n->children && i < n->children->len; i++) mark_same(n->children->pdata[i]);
}

/* A child's place in the old list: its identity and which occurrence of it (two calls of one
 * template give the same identity twice). */
typedef struct {
  const char *identity;
  guint occurrence;
} child_key;

static guint child_key_hash(gconstpointer p) {
  const child_key *k = p;
  return g_str_hash(k->identity) * 31u + k->occurrence;
}

static gboolean child_key_equal(gconstpointer a, gconstpointer b) {
  const child_key *x = a, *y = b;
  return x->occurrence == y->occurrence && strcmp(x->identity, y->identity) == 0;
}

/* The common case: the same children in the same order (reused ones, or of the same identity
 * and tag), paired by position without a table. */
static gboolean same_order(const mprtc__vnode *fresh, const mprtc__vnode *old) {
  if (fresh->children->len != old->children->len) return FALSE;
  for (guint i = 0; i < fresh->children->len; i++) {
    const mprtc__vnode *f = fresh->children->pdata[i], *o = old->children->pdata[i];
    if (f != o && (f->reused || strcmp(f->identity, o->identity) != 0 || g_strcmp0(f->tag, o->tag) != 0)) return FALSE;
  }
  return TRUE;
}

static guint reconcile_children(mprtc__vnode *fresh, mprtc__vnode *old) {
  if (same_order(fresh, old)) {
    guint changes = 0;
    for (guint i = 0; i < fresh->children->len; i++) {
      mprtc__vnode *f = fresh->children->pdata[i], *o = old->children->pdata[i];
      if (f == o) mark_same(f);
      else changes += reconcile(f, o);
    }
    fresh->children_changed = FALSE;
    return changes;
  }
  guint n_old = old->children->len;
  child_key *keys = g_new(child_key, n_old ? n_old : 1);
  GHashTable *by_key = g_hash_table_new(child_key_hash, child_key_equal);
  GHashTable *occurrences = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n_old; i++) {
    mprtc__vnode *o = old->children->pdata[i];
    guint k = GPOINTER_TO_UINT(g_hash_table_lookup(occurrences, o->identity));
    g_hash_table_insert(occurrences, o->identity, GUINT_TO_POINTER(k + 1));
    keys[i] = (child_key){o->identity, k};
    g_hash_table_insert(by_key, &keys[i], o);
  }
  g_hash_table_remove_all(occurrences);
  guint changes = 0, moved = 0, added = 0;
  for (guint i = 0; i < fresh->children->len; i++) {
    mprtc__vnode *f = fresh->children->pdata[i];
    guint k = GPOINTER_TO_UINT(g_hash_table_lookup(occurrences, f->identity));
    g_hash_table_insert(occurrences, f->identity, GUINT_TO_POINTER(k + 1));
    child_key key = {f->identity, k};
    mprtc__vnode *o = g_hash_table_lookup(by_key, &key);
    if (o && o == f) {
      /* Reused: the same node, state and all. */
      g_hash_table_remove(by_key, &key);
      mark_same(f);
      if (i >= n_old || old->children->pdata[i] != o) moved++;
    } else if (o && g_strcmp0(o->tag, f->tag) == 0) {
      g_hash_table_remove(by_key, &key);
      changes += reconcile(f, o);
      if (i >= n_old || old->children->pdata[i] != o) moved++;
    } else {
      changes += mark_new(f);
      added++;
    }
  }
  guint gone = g_hash_table_size(by_key);
  changes += moved + gone;
  fresh->children_changed = moved || added || gone;
  g_hash_table_unref(occurrences);
  g_hash_table_unref(by_key);
  g_free(keys);
  return changes;
}

static guint reconcile(mprtc__vnode *fresh, mprtc__vnode *old) {
  fresh->state = old->state;
  fresh->state_free = old->state_free;
  old->state = NULL;
  gboolean same = fresh->tag ? json_equal(fresh->attrs, old->attrs) && json_equal(fresh->dataset, old->dataset) &&
                                   events_equal(fresh->events, old->events)
                             : strcmp(fresh->text, old->text) == 0;
  fresh->change = same ? MPRTC__VNODE_SAME : MPRTC__VNODE_CHANGED;
  guint changes = same ? 0 : 1;
  if (fresh->tag) changes += reconcile_children(fresh, old);
  return changes;
}

static void clear_reused(mprtc__vnode *n) {
  n->reused = FALSE;
  for (guint i = 0; n->children && i < n->children->len; i++) clear_reused(n->children->pdata[i]);
}

guint mprtc__vnode_reconcile(mprtc__vnode *fresh, mprtc__vnode *old) {
  guint changes = old ? reconcile(fresh, old) : mark_new(fresh);
  mprtc__vnode_free(old); /* what fresh reused is skipped */
  clear_reused(fresh);
  return changes;
}

char *mprtc__vnode_attr_text(const mprtc__vnode *n, const char *name) {
  json_t *v = n->attrs ? json_object_get(n->attrs, name) : NULL;
  return v ? mprtc__js_string_of(v) : NULL;
}
