/* What an app tells its host (log lines, a script settling, permission questions, calls of host
 * methods, files to choose), in the order it happened, on the app's context. See app/app.h. */
#include <string.h>

#include "host/host.h"
#include "view/view.h"
#include "mprtc/error.h"

static void hand_over(mprtc_app *app, mprtc__notice *n) {
  switch (n->kind) {
    case MPRTC__NOTICE_LOG:
      if (app->log.fn) ((mprtc_log_fn)app->log.fn)(app, (mprtc_log_level)n->level, n->text, n->len, app->log.data);
      break;
    case MPRTC__NOTICE_SETTLED: {
      mprtc__run *run = n->payload;
      if (run->done) run->done(app, n->failed, run->user_data);
      break;
    }
    case MPRTC__NOTICE_PERMISSION: {
      mprtc_permission_request *request = n->payload;
      n->payload = NULL;
      /* An app without a permission handler is denied what it asks. */
      if (app->permission.fn) ((mprtc_permission_fn)app->permission.fn)(app, request, n->text, app->permission.data);
      else mprtc_permission_request_answer(request, 0);
      break;
    }
    case MPRTC__NOTICE_HOST_CALL: {
      mprtc_host_call *call = n->payload;
      n->payload = NULL;
      /* n->text: the method's name, then after a NUL its params (src/host/methods.c). */
      const char *params = n->text + strlen(n->text) + 1;
      const mprtc__host_method *m = g_hash_table_lookup(app->host_methods, n->text);
      if (m) m->fn(app, call, params, m->user_data);
      else mprtc_host_call_reject(call, MPRTC_E_UNKNOWN_METHOD, "the host method is gone");
      break;
    }
    case MPRTC__NOTICE_VIEW: mprtc__view_answer_deliver(app, n->payload); break;
    case MPRTC__NOTICE_AUTOMATION:
      if (app->automation.fn)
        ((mprtc_automation_event_fn)app->automation.fn)(app, n->text, n->text + strlen(n->text) + 1, app->automation.data);
      break;
    case MPRTC__NOTICE_EXIT:
      if (app->exit.fn) ((mprtc_app_exit_fn)app->exit.fn)(app, app->exit.data);
      break;
    case MPRTC__NOTICE_CHOOSE_FILE: {
      mprtc_file_choice *choice = n->payload;
      n->payload = NULL;
      /* Without a chooser nobody can pick a file: the user cancelled, as far as the app knows. */
      if (app->file_chooser.fn)
        ((mprtc_file_chooser_fn)app->file_chooser.fn)(app, choice, n->text, app->file_chooser.data);
      else mprtc_file_choice_answer(choice, NULL, 0);
      break;
    }
  }
}

static void handle_notices(GPtrArray *items, void *data) {
  for (guint i = 0; i < items->len; i++) hand_over(data, items->pdata[i]);
}

mprtc__mailbox *mprtc__notices_new(mprtc_app *app) {
  /* The record outlives its queue: mprtc_app_free frees the queue first. */
  return mprtc__mailbox_new(app->context, handle_notices, app, (GDestroyNotify)mprtc__notice_free);
}
