from django.urls import path

from network import campaign_views, views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("relationships/", views.relationship_list, name="relationships"),
    path("relationships/export.csv", views.relationship_export, name="relationship_export"),
    path("relationships/export.graphml", views.relationship_graphml, name="relationship_graphml"),
    path("relationships/new/", views.relationship_new, name="relationship_new"),
    path("relationships/<int:pk>/", views.relationship_detail, name="relationship"),
    path("relationships/<int:pk>/edit/", views.relationship_edit, name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
    path("campaigns/<int:pk>/", campaign_views.campaign_map, name="campaign"),
    path("campaigns/<int:pk>/graph/", campaign_views.campaign_graph, name="campaign_graph"),
    path("campaigns/<int:pk>/paths/", campaign_views.campaign_paths, name="campaign_paths"),
    path("campaigns/<int:pk>/funders/", campaign_views.campaign_funders, name="campaign_funders"),
    path("campaigns/<int:pk>/export.csv", campaign_views.campaign_export, name="campaign_export"),
    path(
        "campaigns/<int:pk>/export.graphml",
        campaign_views.campaign_graphml,
        name="campaign_graphml",
    ),
    path("campaigns/<int:pk>/positions/new/", campaign_views.position_new, name="position_new"),
    path("campaigns/<int:pk>/power/new/", campaign_views.power_new, name="power_new"),
    path("positions/<int:pk>/", campaign_views.position_detail, name="position"),
    path("positions/<int:pk>/assess/", campaign_views.position_assess, name="position_assess"),
    path("positions/<int:pk>/delete/", campaign_views.position_delete, name="position_delete"),
    path("power/<int:pk>/delete/", campaign_views.power_delete, name="power_delete"),
    path("funders/", views.funder_list, name="funders"),
    path("funders/<int:pk>/", views.funder_detail, name="funder"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:pk>/delete/", views.grant_delete, name="grant_delete"),
    path("import/", views.import_csv, name="import"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/merge/", views.merge, name="merge"),
]
