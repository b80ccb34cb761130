from django.urls import path  # noqa: F401 - views are added here as the module grows

app_name = "accountability"
urlpatterns: list = []
