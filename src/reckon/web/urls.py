"""The routes (tests and scripts rely on them; docs/web.md lists them)."""

from __future__ import annotations

from django.urls import path, re_path

from reckon.web import views

urlpatterns = [
    path("", views.home),
    path("login", views.login_view),
    path("logout", views.logout_view),
    path("review", views.review),
    path("review/<int:left>/<int:right>", views.review_decide),
    re_path(r"^people/(?P<person_id>[\w.:-]{1,100})$", views.person),
    re_path(r"^people/(?P<person_id>[\w.:-]{1,100})/(?P<change>split|merge)$", views.person_change),
    path("sources", views.sources),
    path("search", views.search_view),
    path("intake", views.intake_view),
    re_path(r"^intake/(?P<report_id>\d+)/(?P<decision>accept|reject)$", views.intake_moderate),
    path("estimates", views.estimates),
    path("report", views.report),
    path("audit", views.audit_view),
    path("users", views.users_view),
    re_path(r"^assets/(?P<name>[\w.-]+)$", views.assets),
]

handler404 = "reckon.web.views.not_found"
