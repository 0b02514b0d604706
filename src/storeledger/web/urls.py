from django.urls import path, re_path

from storeledger.web import views

urlpatterns = [
    re_path(
        r"^(?P<name>sw\.js|manifest\.webmanifest|favicon\.svg|icons/[\w.-]+\.png)$",
        views.root_file,
        name="web-root-file",
    ),
    path("", views.spa_index, name="web-index"),
    # Client-side routes: anything that is not the API, the admin or a static/media file.
    re_path(r"^(?!api/|admin/|static/|media/)(?P<path>.+)$", views.spa_index, name="web-app"),
]
