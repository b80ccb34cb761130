from django.urls import path

from regulatory.views import authorities, campaign_actions, comment_periods, complaints

app_name = "regulatory"
urlpatterns = [
    path("", authorities.index, name="index"),
    path("authorities/", authorities.authority_list, name="authorities"),
    path("authorities/new/", authorities.authority_new, name="authority_new"),
    path("authorities/<int:pk>/", authorities.authority_detail, name="authority"),
    path("authorities/<int:pk>/edit/", authorities.authority_edit, name="authority_edit"),
    path("actions/", campaign_actions.action_list, name="actions"),
    path("actions/export.csv", campaign_actions.action_export, name="action_export"),
    path("actions/new/", campaign_actions.action_new, name="action_new"),
    path("actions/<int:pk>/", campaign_actions.action_detail, name="action"),
    path("actions/<int:pk>/edit/", campaign_actions.action_edit, name="action_edit"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/export.csv", complaints.complaint_export, name="complaint_export"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/patterns/", complaints.patterns, name="patterns"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/triage/", complaints.complaint_triage, name="complaint_triage"),
    path("complaints/<int:pk>/inspections/", complaints.inspection_new, name="inspection_new"),
    path(
        "complaints/<int:pk>/inspections/<int:inspection_pk>/",
        complaints.inspection_record,
        name="inspection_record",
    ),
    path("complaints/<int:pk>/violations/", complaints.violation_new, name="violation_new"),
    path(
        "complaints/<int:pk>/violations/<int:violation_pk>/corrected/",
        complaints.violation_correct,
        name="violation_correct",
    ),
    path("complaints/<int:pk>/close/", complaints.complaint_close, name="complaint_close"),
    path("complaints/<int:pk>/messages/", complaints.complaint_message, name="complaint_message"),
    path(
        "complaints/<int:pk>/files/<int:file_pk>/", complaints.complaint_file, name="complaint_file"
    ),
    path("complaints/<int:pk>/retaliation/", complaints.retaliation_new, name="retaliation_new"),
    path("retaliation/", complaints.retaliation_list, name="retaliations"),
    path("retaliation/<int:pk>/", complaints.retaliation_detail, name="retaliation"),
    path("retaliation/<int:pk>/update/", complaints.retaliation_update, name="retaliation_update"),
    path("comment-periods/", comment_periods.comment_period_list, name="comment_periods"),
    path(
        "comment-periods/calendar.ics",
        comment_periods.comment_periods_ics,
        name="comment_periods_ics",
    ),
    path("comment-periods/new/", comment_periods.comment_period_new, name="comment_period_new"),
    path("comment-periods/<int:pk>/", comment_periods.comment_period_detail, name="comment_period"),
    path(
        "comment-periods/<int:pk>/edit/",
        comment_periods.comment_period_edit,
        name="comment_period_edit",
    ),
]
