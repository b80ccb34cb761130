from django.urls import path

from regulatory import views

app_name = "regulatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("authorities/", views.authority_list, name="authorities"),
    path("authorities/new/", views.authority_new, name="authority_new"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority"),
    path("authorities/<int:pk>/edit/", views.authority_edit, name="authority_edit"),
    path("actions/", views.action_list, name="actions"),
    path("actions/export.csv", views.action_export, name="action_export"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/export.csv", views.complaint_export, name="complaint_export"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/patterns/", views.patterns, name="patterns"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/triage/", views.complaint_triage, name="complaint_triage"),
    path("complaints/<int:pk>/inspections/", views.inspection_new, name="inspection_new"),
    path(
        "complaints/<int:pk>/inspections/<int:inspection_pk>/",
        views.inspection_record,
        name="inspection_record",
    ),
    path("complaints/<int:pk>/violations/", views.violation_new, name="violation_new"),
    path(
        "complaints/<int:pk>/violations/<int:violation_pk>/corrected/",
        views.violation_correct,
        name="violation_correct",
    ),
    path("complaints/<int:pk>/close/", views.complaint_close, name="complaint_close"),
    path("complaints/<int:pk>/messages/", views.complaint_message, name="complaint_message"),
    path("complaints/<int:pk>/files/<int:file_pk>/", views.complaint_file, name="complaint_file"),
    path("complaints/<int:pk>/retaliation/", views.retaliation_new, name="retaliation_new"),
    path("retaliation/", views.retaliation_list, name="retaliations"),
    path("retaliation/<int:pk>/", views.retaliation_detail, name="retaliation"),
    path("retaliation/<int:pk>/update/", views.retaliation_update, name="retaliation_update"),
    path("comment-periods/", views.comment_period_list, name="comment_periods"),
    path("comment-periods/calendar.ics", views.comment_periods_ics, name="comment_periods_ics"),
    path("comment-periods/new/", views.comment_period_new, name="comment_period_new"),
    path("comment-periods/<int:pk>/", views.comment_period_detail, name="comment_period"),
    path("comment-periods/<int:pk>/edit/", views.comment_period_edit, name="comment_period_edit"),
]
