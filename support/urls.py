from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("asks/", views.ask_list, name="asks"),
    path("asks/export.csv", views.ask_export, name="ask_export"),
    path("asks/new/", views.ask_new, name="ask_new"),
    path("asks/<int:pk>/", views.ask_detail, name="ask"),
    path("asks/<int:pk>/edit/", views.ask_edit, name="ask_edit"),
    path("asks/<int:pk>/status/", views.ask_status, name="ask_status"),
    path("asks/<int:pk>/deliver/", views.ask_deliver, name="ask_deliver"),
    path("asks/<int:pk>/assign/", views.ask_assign, name="ask_assign"),
    path("asks/<int:pk>/comments/", views.ask_comment, name="ask_comment"),
    path("asks/<int:pk>/files/<int:file_pk>/", views.ask_file, name="ask_file"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
