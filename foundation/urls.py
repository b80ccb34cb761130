from django.urls import path

from foundation import views

app_name = "foundation"
urlpatterns = [
    path("", views.index, name="index"),
    path("instruments/", views.instrument_list, name="instruments"),
    path("instruments/new/", views.instrument_new, name="instrument_new"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/edit/", views.instrument_edit, name="instrument_edit"),
    path("instruments/<int:pk>/results.csv", views.instrument_export, name="instrument_export"),
    path("instruments/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/answer/", views.round_answer, name="round_answer"),
    path("rounds/<int:pk>/mine/", views.round_mine, name="round_mine"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("risks/", views.risk_list, name="risks"),
    path("risks/export.csv", views.risk_export, name="risk_export"),
    path("risks/new/", views.risk_new, name="risk_new"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", views.risk_delete, name="risk_delete"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/export.csv", views.resource_export, name="resource_export"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/commit/", views.commitment_new, name="commitment_new"),
    path(
        "resources/<int:pk>/commitments/<int:commitment_pk>/release/",
        views.commitment_delete,
        name="commitment_delete",
    ),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export.csv", views.compliance_export, name="compliance_export"),
    path("compliance/asks/<int:ask_pk>/", views.ask_classify, name="ask_classify"),
]
