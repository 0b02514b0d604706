from django.urls import path

from storeledger.printing import templates
from storeledger.printing.api import DocumentPdfView, LabelPdfView

# GET <documents>/{id}/pdf/ of every registered document kind with a print template (its API
# path and view permission from the document-type registry, core.doctypes).
urlpatterns = [
    *(
        path(
            f"{prefix}/<int:pk>/pdf/",
            DocumentPdfView.for_type(kind, permission, prefix),
            name=f"{prefix[:-1]}-pdf",
        )
        for prefix, kind, permission in templates.printable()
    ),
    path("labels/", LabelPdfView.as_view(), name="labels"),
]
