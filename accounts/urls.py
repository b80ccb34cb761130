from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("staff/", views.staff, name="staff"),
    path("tokens/new/", views.create_api_token, name="create_api_token"),
    path("tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("webhooks/new/", views.create_webhook, name="create_webhook"),
    path("webhooks/<int:pk>/", views.webhook, name="webhook"),
    path("webhooks/<int:pk>/ping/", views.ping_webhook, name="ping_webhook"),
    path("webhooks/<int:pk>/delete/", views.delete_webhook, name="delete_webhook"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("organizations/<int:org_pk>/invite/", views.invite_member, name="invite_member"),
    path(
        "organizations/<int:org_pk>/members/<int:membership_pk>/remove/",
        views.remove_member,
        name="remove_member",
    ),
]
