/* The run's resolved settings (fbreview/app.h). */
#include "fbreview/app.h"

#include <stdlib.h>

void app_free(fb_app *app)
{
    free(app->db_path);
    free(app->reviewer);
    free(app->config_path);
    config_free(&app->cfg);
    app->db_path = app->reviewer = app->config_path = NULL;
    app->upstream = NULL;
}
