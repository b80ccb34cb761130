from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/export.csv", views.campaign_export, name="campaign_export"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", views.campaign_delete, name="campaign_delete"),
    path("campaigns/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "campaigns/<int:pk>/milestones/<int:milestone_pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
    path("organizations/", views.organization_list, name="organizations"),
    path("organizations/export.csv", views.organization_export, name="organization_export"),
    path("organizations/new/", views.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/new/", views.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/rate/<str:side>/", views.partnership_rate, name="partnership_rate"),
    path("partnerships/<int:pk>/agreements/new/", views.agreement_new, name="agreement_new"),
    path(
        "partnerships/<int:pk>/agreements/<int:agreement_pk>/file",
        views.agreement_file,
        name="agreement_file",
    ),
    path("partnerships/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
]
