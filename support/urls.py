from django.urls import path

from support import views

app_name = "support"
urlpatterns = [
    path("asks/", views.ask_list, name="asks"),
    path("asks/new/", views.ask_new, name="ask_new"),
    path("asks/<int:pk>/", views.ask_detail, name="ask"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
