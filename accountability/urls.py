from django.urls import path

from accountability import views, views_admin, views_roster

app_name = "accountability"
urlpatterns = [
    path("", views.board, name="index"),
    path("apply/", views.apply, name="apply"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings.ics", views.meetings_ics, name="meetings_ics"),
    path("meetings/new/", views_admin.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views_admin.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views_admin.meeting_attendance, name="attendance"),
    path("meetings/<int:pk>/motions/new/", views_admin.motion_new, name="motion_new"),
    path("meetings/<int:pk>/materials/new/", views_admin.material_new, name="material_new"),
    path(
        "meetings/<int:pk>/materials/<int:material_pk>/", views.material_file, name="material_file"
    ),
    path("meetings/<int:pk>/minutes/", views_admin.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/access/", views.access_request, name="access_request"),
    path(
        "meetings/<int:pk>/access/<int:access_pk>/", views_admin.access_status, name="access_status"
    ),
    path("tracker/", views.tracker, name="tracker"),
    path("tracker/rss/", views.TrackerFeed(), name="tracker_rss"),
    path("tracker/atom/", views.TrackerAtomFeed(), name="tracker_atom"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/respond/", views_admin.respond, name="respond"),
    path(
        "recommendations/<int:pk>/responses/<int:response_pk>/publish/",
        views_admin.response_publish,
        name="response_publish",
    ),
    path(
        "recommendations/<int:pk>/commitments/", views_admin.commitment_new, name="commitment_new"
    ),
    path(
        "recommendations/<int:pk>/withdraw/", views_admin.recommendation_withdraw, name="withdraw"
    ),
    path("recommendations/<int:pk>/delete/", views_admin.recommendation_delete, name="delete"),
    path("commitments/<int:pk>/update/", views_admin.commitment_update, name="commitment_update"),
    path("members/", views_roster.members, name="members"),
    path("members/<int:pk>/profile/", views_roster.member_profile, name="member_profile"),
    path("terms/<int:pk>/renew/", views_roster.term_renew, name="term_renew"),
    path("terms/<int:pk>/end/", views_roster.term_end, name="term_end"),
    path("applications/", views_roster.applications, name="applications"),
    path("applications/<int:pk>/", views_roster.application, name="application"),
    path(
        "applications/<int:pk>/select/", views_roster.application_select, name="application_select"
    ),
    path(
        "applications/<int:pk>/decide/", views_roster.application_decide, name="application_decide"
    ),
    path("stipends/", views_roster.stipends, name="stipends"),
    path("stipends/export.csv", views_roster.stipend_export, name="stipend_export"),
    path(
        "stipends/<int:year>/<int:month>/members/<int:pk>/pay/",
        views_roster.stipend_pay,
        name="stipend_pay",
    ),
    path("stipends/mine/", views_roster.my_stipend, name="my_stipend"),
    path("organizers/", views.organizers, name="organizers"),
    path("organizers/new/", views_roster.organizer_new, name="organizer_new"),
    path("organizers/<int:pk>/", views.organizer, name="organizer"),
    path("organizers/<int:pk>/edit/", views_roster.organizer_edit, name="organizer_edit"),
]
