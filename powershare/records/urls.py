from django.urls import path

from powershare.records import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/preview/", views.retention_preview, name="retention_preview"),
    path("retention/run/", views.retention_run, name="retention_run"),
    path("retention/holds/new/", views.hold_new, name="hold_new"),
    path("retention/holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("retention/<slug:kind>/", views.rule_edit, name="rule_edit"),
    path("labels/", views.labels_page, name="labels"),
    path("labels/<str:field>/", views.label_edit, name="label_edit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/download/", views.request_file, name="request_file"),
]
