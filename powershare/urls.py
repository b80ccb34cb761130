"""Root URLs. Each app mounts its own under a prefix."""

from django.contrib import admin
from django.urls import include, path

from powershare import views
from powershare.api.main import api
from powershare.api.views import docs as api_docs

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("people/", include("accounts.urls")),
    path("partners/", include("partners.urls")),
    path("support/", include("support.urls")),
    path("audit/", include("powershare.audit.urls")),
    path("records/", include("powershare.records.urls")),
    path("data/", include("data.urls")),
    path("board/", include("accountability.urls")),
    path("grants/", include("grants.urls")),
    path("foundation/", include("foundation.urls")),
    path("regulatory/", include("regulatory.urls")),
    path("network/", include("network.urls")),
    path("api/v1/", api.urls),
    path("api/docs", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
]

# Bad parameters (powershare/filters.py) answer in the site's layout, naming the parameter.
handler400 = "powershare.views.bad_request"
