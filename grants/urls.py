from django.urls import path

from grants.views import applications, awards, programs, review

app_name = "grants"
urlpatterns = [
    path("", programs.index, name="index"),
    path("awards/", awards.awards_public, name="awards_public"),
    path("reviewers/join/", review.interest, name="interest"),
    path("reviewers/", review.interests, name="interests"),
    path("reviewers/<int:pk>/handle/", review.interest_handle, name="interest_handle"),
    path("programs/new/", programs.program_new, name="program_new"),
    path("programs/<int:pk>/", programs.program_detail, name="program"),
    path("programs/<int:pk>/edit/", programs.program_edit, name="program_edit"),
    path("programs/<int:pk>/cycles/new/", programs.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", programs.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/edit/", programs.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/status/", programs.cycle_status, name="cycle_status"),
    path("cycles/<int:pk>/items/<str:kind>/add/", programs.item_add, name="item_add"),
    path(
        "cycles/<int:pk>/items/<str:kind>/<int:item>/delete/",
        programs.item_delete,
        name="item_delete",
    ),
    path("cycles/<int:pk>/apply/", applications.apply, name="apply"),
    path("cycles/<int:pk>/applications/", applications.applications, name="applications"),
    path(
        "cycles/<int:pk>/applications.csv",
        applications.applications_export,
        name="applications_export",
    ),
    path("cycles/<int:pk>/panel/", review.panel, name="panel"),
    path("cycles/<int:pk>/panel/add/", review.panel_add, name="panel_add"),
    path("cycles/<int:pk>/panel/<int:member>/remove/", review.panel_remove, name="panel_remove"),
    path("cycles/<int:pk>/assign/", review.assign, name="assign"),
    path("cycles/<int:pk>/stipends.csv", review.stipends_export, name="stipends_export"),
    path("cycles/<int:pk>/reviews/", review.reviews, name="reviews"),
    path("cycles/<int:pk>/ranking/", review.ranking, name="ranking"),
    path("cycles/<int:pk>/ranking.csv", review.ranking_export, name="ranking_export"),
    path("cycles/<int:pk>/decisions/", review.decisions, name="decisions"),
    path("cycles/<int:pk>/approve/", review.approve, name="approve"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/documents/", applications.document_add, name="document_add"),
    path("applications/<int:pk>/documents/<int:doc>/", applications.document_file, name="document"),
    path(
        "applications/<int:pk>/documents/<int:doc>/delete/",
        applications.document_delete,
        name="document_delete",
    ),
    path(
        "applications/<int:pk>/submit/", applications.application_submit, name="application_submit"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/screen/", applications.application_screen, name="application_screen"
    ),
    path("applications/<int:pk>/conflict/", review.conflict, name="conflict"),
    path("applications/<int:pk>/review/", review.review, name="review"),
    path("applications/<int:pk>/notes/", review.note_add, name="note_add"),
    path("applications/<int:pk>/decide/", review.decide, name="decide"),
    path("reports/due/", awards.reports_due, name="reports_due"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/edit/", awards.award_edit, name="award_edit"),
    path("awards/<int:pk>/agreement/", awards.agreement, name="agreement"),
    path("awards/<int:pk>/payments/", awards.payment_add, name="payment_add"),
    path("awards/<int:pk>/payments/<int:payment>/paid/", awards.payment_paid, name="payment_paid"),
    path("awards/<int:pk>/reports/", awards.report_add, name="report_add"),
    path("awards/<int:pk>/reports/<int:report>/", awards.report, name="report"),
]
