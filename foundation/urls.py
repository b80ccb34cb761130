from django.urls import path

from foundation.views import assessments, compliance, resources, risks

app_name = "foundation"
urlpatterns = [
    path("", assessments.index, name="index"),
    path("instruments/", assessments.instrument_list, name="instruments"),
    path("instruments/new/", assessments.instrument_new, name="instrument_new"),
    path("instruments/<int:pk>/", assessments.instrument_detail, name="instrument"),
    path("instruments/<int:pk>/edit/", assessments.instrument_edit, name="instrument_edit"),
    path(
        "instruments/<int:pk>/results.csv", assessments.instrument_export, name="instrument_export"
    ),
    path("instruments/<int:pk>/rounds/new/", assessments.round_new, name="round_new"),
    path("rounds/<int:pk>/", assessments.round_detail, name="round"),
    path("rounds/<int:pk>/answer/", assessments.round_answer, name="round_answer"),
    path("rounds/<int:pk>/mine/", assessments.round_mine, name="round_mine"),
    path("rounds/<int:pk>/close/", assessments.round_close, name="round_close"),
    path("risks/", risks.risk_list, name="risks"),
    path("risks/export.csv", risks.risk_export, name="risk_export"),
    path("risks/new/", risks.risk_new, name="risk_new"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", risks.risk_delete, name="risk_delete"),
    path("resources/", resources.resource_list, name="resources"),
    path("resources/export.csv", resources.resource_export, name="resource_export"),
    path("resources/new/", resources.resource_new, name="resource_new"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/commit/", resources.commitment_new, name="commitment_new"),
    path(
        "resources/<int:pk>/commitments/<int:commitment_pk>/release/",
        resources.commitment_delete,
        name="commitment_delete",
    ),
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance/export.csv", compliance.compliance_export, name="compliance_export"),
    path("compliance/asks/<int:ask_pk>/", compliance.ask_classify, name="ask_classify"),
]
