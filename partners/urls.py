from django.urls import path

from partners.views import campaigns, organizations, partnerships, people

app_name = "partners"
urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/export.csv", campaigns.campaign_export, name="campaign_export"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/delete/", campaigns.campaign_delete, name="campaign_delete"),
    path("campaigns/<int:pk>/milestones/", campaigns.milestone_add, name="milestone_add"),
    path(
        "campaigns/<int:pk>/milestones/<int:milestone_pk>/delete/",
        campaigns.milestone_delete,
        name="milestone_delete",
    ),
    path("organizations/", organizations.organization_list, name="organizations"),
    path("organizations/export.csv", organizations.organization_export, name="organization_export"),
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", organizations.organization_edit, name="organization_edit"),
    path("people/", people.person_list, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", people.person_delete, name="person_delete"),
    path("partnerships/", partnerships.partnership_list, name="partnerships"),
    path("partnerships/new/", partnerships.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path(
        "partnerships/<int:pk>/rate/<str:side>/",
        partnerships.partnership_rate,
        name="partnership_rate",
    ),
    path("partnerships/<int:pk>/agreements/new/", partnerships.agreement_new, name="agreement_new"),
    path(
        "partnerships/<int:pk>/agreements/<int:agreement_pk>/file",
        partnerships.agreement_file,
        name="agreement_file",
    ),
    path("partnerships/<int:pk>/meetings/new/", partnerships.meeting_new, name="meeting_new"),
]
